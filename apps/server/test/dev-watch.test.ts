import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { removeEmbeddedPostgresData } from "@viewings/db/embedded";
import { afterAll, describe, expect, it } from "vitest";

const dataDir = mkdtempSync(join(tmpdir(), "viewings-dev-"));
let dev: ChildProcess | undefined;
let output = "";

afterAll(async () => {
  if (dev && dev.exitCode === null) {
    const exited = new Promise((resolve) => dev?.once("exit", resolve));
    dev.kill("SIGTERM");
    await exited;
  }
  removeEmbeddedPostgresData(dataDir);
  rmSync(dataDir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Resolves with the first match of `pattern` in the output from `from` on. */
function waitFor(pattern: RegExp, from = 0): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = output.slice(from).match(pattern);
      if (match) {
        clearInterval(poll);
        resolve(match);
      } else if (dev?.exitCode !== null) {
        clearInterval(poll);
        reject(new Error(`pnpm dev exited: ${output}`));
      }
    };
    const poll = setInterval(check, 100);
  });
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("pnpm dev", () => {
  it("restarts only the server on a source change: same PostgreSQL pid, one line per restart", async () => {
    const port = await freePort();
    dev = spawn(process.execPath, ["dist/src/dev/dev.js"], {
      env: {
        PATH: process.env.PATH ?? "",
        ENV_FILE: "/dev/null",
        DATA_DIR: dataDir,
        PORT: String(port),
        LOG_FORMAT: "json",
        CALENDAR_SANDBOX: "false",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    dev.stdout?.on("data", (chunk) => {
      output += chunk;
    });
    dev.stderr?.on("data", (chunk) => {
      output += chunk;
    });
    const [, pid] = await waitFor(/\[dev\] PostgreSQL pid (\d+)/);
    await waitFor(/server listening/);
    await waitFor(/\[dev\] watching .* for changes/);
    // Writing a source file (same content) is a change to tsc --watch: it recompiles and the server restarts.
    const before = output.length;
    const source = join(import.meta.dirname, "..", "src", "banner.ts");
    writeFileSync(source, readFileSync(source));
    await waitFor(/\[dev\] restarted \(@viewings\/server changed\)/, before);

    const restartOutput = output.slice(before);
    expect(restartOutput.match(/\[dev\] restarted/g)).toHaveLength(1);
    expect(restartOutput).not.toContain("PostgreSQL pid");
    expect(isAlive(Number(pid))).toBe(true);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(200);

    const exited = new Promise<number | null>((resolve) => dev?.once("exit", resolve));
    dev.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(output.trimEnd().endsWith("[dev] stopped")).toBe(true);
    expect(isAlive(Number(pid))).toBe(false);
  }, 180_000);
});
