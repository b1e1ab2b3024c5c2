import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const serverRoot = fileURLToPath(new URL("../..", import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** Every JSON log line the process wrote so far. */
  logs: Array<Record<string, unknown>>;
  /** Milliseconds from spawn to the "server listening" log line. */
  startupMs: number;
  exited: Promise<number | null>;
}

/** Only what a test passes: no developer .env (ENV_FILE), no inherited variables besides PATH. */
const hermetic = { PATH: process.env.PATH ?? "", ENV_FILE: "/dev/null" };

/**
 * Runs the built server (`node dist/src/main.js`) as its own process, as `pnpm start` does; `cwd` is
 * another copy of the server (a deployed folder) when given.
 */
export function spawnServer(env: Record<string, string>, cwd = serverRoot): Promise<ServerProcess> {
  const started = performance.now();
  const child = spawn(process.execPath, ["dist/src/main.js"], {
    cwd,
    env: { ...hermetic, PORT: "0", HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: Array<Record<string, unknown>> = [];
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    let buffer = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      for (let newline = buffer.indexOf("\n"); newline >= 0; newline = buffer.indexOf("\n")) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        try {
          const entry = JSON.parse(line) as Record<string, unknown>;
          logs.push(entry);
          if (entry.msg === "server listening") {
            resolve({ child, url: String(entry.url), logs, startupMs: performance.now() - started, exited });
          }
        } catch {
          // not a log line
        }
      }
    });
    exited.then((code) => reject(new Error(`server exited with ${code} before listening: ${stderr}`)));
  });
}

/** Runs one of the server's CLI scripts to completion and returns its stdout. */
export function runCli(
  script: string,
  args: string[],
  env: Record<string, string>,
  cwd = serverRoot,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      cwd,
      env: { ...hermetic, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
    });
    child.stderr.on("data", (chunk) => {
      err += chunk;
    });
    child.once("exit", (code) =>
      code === 0 ? resolve(out.trim()) : reject(new Error(`${script} exited ${code}: ${err}`)),
    );
  });
}
