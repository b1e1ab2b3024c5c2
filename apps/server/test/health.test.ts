import { type StandalonePostgres, startStandalonePostgres } from "@viewings/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./support/test-server.js";

let postgres: StandalonePostgres;
let server: TestServer;
beforeAll(async () => {
  postgres = await startStandalonePostgres();
  server = await startTestServer({}, { databaseUrl: postgres.url() });
});
afterAll(async () => {
  await postgres?.start();
  await server?.close();
  await postgres?.destroy();
});

describe("health probes", () => {
  it("/healthz says the process is up", async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("/readyz follows the database: 200, 503 while it is stopped, 200 once it is back", async () => {
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);

    await postgres.stop();
    const down = await fetch(`${server.url}/readyz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({
      status: "unavailable",
      reason: expect.stringMatching(/^database unreachable \(ECONNREFUSED\)/),
    });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

    await postgres.start();
    await expect
      .poll(async () => (await fetch(`${server.url}/readyz`)).status, { timeout: 10_000 })
      .toBe(200);
  });

  it("answers unknown paths with a JSON 404 and sets security headers", async () => {
    const response = await fetch(`${server.url}/nope`);
    expect(response.status).toBe(404);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("x-powered-by")).toBeNull();
    expect(response.headers.get("x-request-id")).toBeTruthy();
  });
});
