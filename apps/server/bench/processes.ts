import { type ChildProcess, fork } from "node:child_process";
import { createServer } from "node:net";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

export async function waitForOk(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not become ready within ${timeoutMs} ms`);
}

/** Forks a node script and resolves with the port it reports over IPC once listening. */
export function forkReportingPort(
  script: string,
  args: string[],
): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = fork(script, args, { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    child.once("error", reject);
    child.once("message", (message: { port: number }) => resolve({ child, port: message.port }));
  });
}

export function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

/**
 * Rate limits for the bench's servers: counted as in production (points leased from PostgreSQL) but
 * never reached, since the bench drives a few users from one address far beyond a real user's pace,
 * and connects 50 users' calendars in a burst. At these limits a lease is 10,000 points, so the
 * counters cost almost nothing here; at the default 1200/60 a busy user costs one round trip per 12.
 */
export const benchServerEnv = {
  // The bench's tokens carry no azp: accepting any origin must be said explicitly in production.
  CLERK_AUTHORIZED_PARTIES: "*",
  RATE_LIMIT_TRPC_USER: "1000000/60",
  RATE_LIMIT_WEBHOOKS: "1000000/60",
  RATE_LIMIT_OAUTH_CALLBACK: "1000000/60",
};
