import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** A fresh directory under the temp dir that the postgres OS user can traverse (mkdtemp makes 0700). */
export function makeTempDataDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(dir, 0o755);
  return dir;
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}
