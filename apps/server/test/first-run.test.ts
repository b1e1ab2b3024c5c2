import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApiClient } from "@viewings/client";
import { removeEmbeddedPostgresData } from "@viewings/db/embedded";
import { afterAll, describe, expect, it } from "vitest";
import { runCli, type ServerProcess, spawnServer } from "./support/server-process.js";

const dataDir = mkdtempSync(join(tmpdir(), "viewings-first-run-"));
const env = { NODE_ENV: "development", DATA_DIR: dataDir, LOG_LEVEL: "info" };
let server: ServerProcess | undefined;

afterAll(async () => {
  server?.child.kill("SIGKILL");
  await server?.exited;
  removeEmbeddedPostgresData(dataDir);
  rmSync(dataDir, { recursive: true, force: true });
});

describe("first run on a fresh machine (no DATABASE_URL, no Clerk keys)", () => {
  it("starts an embedded PostgreSQL, applies migrations and accepts a `dev:token` session", async () => {
    server = await spawnServer(env);
    console.info(
      `pnpm start to listening (fresh data dir, initdb included): ${server.startupMs.toFixed(0)} ms`,
    );
    expect(server.logs.some((entry) => entry.msg === "embedded PostgreSQL ready")).toBe(true);
    expect(server.logs.some((entry) => String(entry.msg).startsWith("DEVELOPMENT ONLY"))).toBe(true);

    const token = await runCli(
      "dist/src/cli/dev-token.js",
      ["user_newcomer", "--email", "newcomer@example.com"],
      env,
    );
    const client = createApiClient({ url: `${server.url}/trpc`, getToken: () => token });
    expect(await client.users.me.query()).toMatchObject({
      clerkUserId: "user_newcomer",
      email: "newcomer@example.com",
    });
  });

  it("finishes an in-flight request on SIGTERM, then stops PostgreSQL and exits 0", async () => {
    const running = server ?? expect.fail("server not started");
    const body = JSON.stringify({ clerkUserId: "user_x", email: "x@example.com" });
    const url = new URL(`${running.url}/trpc/users.createFromClerk`);
    // Send headers and half the body, signal shutdown, then finish: the request must still be answered.
    const inFlight = new Promise<number>((resolve, reject) => {
      const req = request(url, {
        method: "POST",
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      });
      req.on("response", (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.write(body.slice(0, 10));
      setTimeout(() => {
        running.child.kill("SIGTERM");
        setTimeout(() => req.end(body.slice(10)), 300);
      }, 200);
    });
    expect(await inFlight).toBe(401);
    expect(await running.exited).toBe(0);
    expect(running.logs.some((entry) => entry.msg === "server stopped")).toBe(true);
  });

  it("restarts on the kept data folder with the same development key", async () => {
    const token = await runCli("dist/src/cli/dev-token.js", ["user_newcomer"], env);
    server = await spawnServer(env);
    console.info(`pnpm start to listening (existing data dir): ${server.startupMs.toFixed(0)} ms`);
    const client = createApiClient({ url: `${server.url}/trpc`, getToken: () => token });
    expect((await client.users.me.query()).email).toBe("newcomer@example.com");
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  });

  it("refuses to start in production without Clerk keys, naming them", async () => {
    await expect(spawnServer({ NODE_ENV: "production", DATA_DIR: dataDir })).rejects.toThrow(
      /CLERK_SECRET_KEY/,
    );
  });
});
