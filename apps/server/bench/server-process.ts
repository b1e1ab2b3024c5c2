import { type ChildProcess, fork } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { benchServerEnv, freePort, waitForOk } from "./processes.js";

const main = join(fileURLToPath(new URL(".", import.meta.url)), "../src/main.js");

export interface ServerProcess {
  child: ChildProcess;
  url: string;
}

/**
 * The real server (dist/src/main.js) as its own process in production mode, on a free loopback port,
 * resolved once /readyz answers. BENCH_SERVER_NODE_FLAGS adds node flags (e.g. --cpu-prof).
 */
export async function forkServer(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = fork(main, [], {
    execArgv: (process.env.BENCH_SERVER_NODE_FLAGS ?? "").split(" ").filter(Boolean),
    stdio: ["ignore", "ignore", "inherit", "ipc"],
    env: {
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "warn",
      PUBLIC_URL: url,
      ...benchServerEnv,
      ...env,
    },
  });
  await waitForOk(`${url}/readyz`);
  return { child, url };
}

/** Resident set size of a process in MB (Linux /proc), or NaN elsewhere. */
export async function rssMb(pid: number | undefined): Promise<number> {
  const { readFile } = await import("node:fs/promises");
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return kb / 1024;
  } catch {
    return Number.NaN;
  }
}
