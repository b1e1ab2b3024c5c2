// Development/single-machine mode: the server runs its own PostgreSQL. When that PostgreSQL dies
// (crash, OOM kill), a supervisor starts it again and the server keeps serving, with every event a
// JSON log line.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { removeEmbeddedPostgresData } from "@viewings/db/embedded";
import { afterAll, describe, expect, it } from "vitest";
import { runCli, type ServerProcess, spawnServer } from "./support/server-process.js";

const dataDir = mkdtempSync(join(tmpdir(), "viewings-supervisor-"));
const env = { NODE_ENV: "development", DATA_DIR: dataDir, LOG_LEVEL: "info" };
let server: ServerProcess | undefined;

afterAll(async () => {
  server?.child.kill("SIGTERM");
  await server?.exited;
  removeEmbeddedPostgresData(dataDir);
  rmSync(dataDir, { recursive: true, force: true });
});

const embeddedEvents = (running: ServerProcess) =>
  running.logs.filter((entry) => entry.component === "embedded-postgres").map((entry) => String(entry.msg));

describe("the embedded PostgreSQL supervisor", () => {
  it("restarts a killed PostgreSQL and the server serves again, without a restart of its own", async () => {
    server = await spawnServer(env);
    const running = server;
    const token = await runCli(
      "dist/src/cli/dev-token.js",
      ["user_supervised", "--email", "s@example.com"],
      env,
    );
    const me = () =>
      fetch(`${running.url}/trpc/users.me`, { headers: { authorization: `Bearer ${token}` } }).then(
        (r) => r.status,
      );
    expect(await me()).toBe(200);

    const ready = embeddedEvents(running).find((msg) => msg.startsWith("Postgres ready on port")) ?? "";
    const clusterDir = /cluster (.+)\)$/.exec(ready)?.[1] ?? expect.fail(`no cluster in "${ready}"`);
    const postmasterPid = Number(readFileSync(join(clusterDir, "postmaster.pid"), "utf8").split("\n")[0]);
    process.kill(postmasterPid, "SIGKILL");

    await expect
      .poll(() => embeddedEvents(running).some((msg) => /restarted \(pid \d+\)$/.test(msg)), {
        timeout: 30_000,
        interval: 200,
      })
      .toBe(true);
    await expect.poll(me, { timeout: 15_000, interval: 200 }).toBe(200);
    const events = embeddedEvents(running);
    expect(events.some((msg) => /exited unexpectedly \(code null, signal SIGKILL\)/.test(msg))).toBe(true);
    expect(events.some((msg) => /restarting postgres on port \d+ \(attempt 1 of 5\)/.test(msg))).toBe(true);
    console.info(`supervisor events: ${events.slice(-4).join(" | ")}`);
    expect(running.child.exitCode).toBeNull();
  });
});
