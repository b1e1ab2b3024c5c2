import fs from "node:fs";
import { postgresDataDir } from "../paths.js";
import { fallbackClusterDir } from "./cluster-dir.js";

/**
 * Deletes a stopped embedded cluster for good, wherever it lives: in `<dataDir>/postgres`, or in the
 * shared fallback used when the postgres OS user could not reach that folder. Throwaway data folders
 * (benchmarks, tests) call this so repeated runs do not pile clusters up under the temp dir.
 */
export function removeEmbeddedPostgresData(dataDir: string): void {
  const requested = postgresDataDir(dataDir);
  for (const dir of [requested, fallbackClusterDir(requested)]) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
