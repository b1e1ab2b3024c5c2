// The access log (http/request-logger.ts): one line per request when it ends, with the request id
// echoed to the client, the path without its query, the status and the time taken.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./support/test-server.js";

const logLines: string[] = [];
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ LOG_LEVEL: "info" }, { logLines });
});
afterAll(async () => {
  await server?.close();
});

const entries = () => logLines.map((line) => JSON.parse(line) as Record<string, unknown>);

describe("access log", () => {
  it("writes one line per request with its id, method, path (no query), status and time", async () => {
    const response = await fetch(`${server.url}/oauth/microsoft/callback?code=secret-code&state=s`, {
      redirect: "manual",
      headers: { "x-request-id": "req-abc.1" },
    });
    expect(response.headers.get("x-request-id")).toBe("req-abc.1");
    await expect.poll(() => entries().filter((e) => e.msg === "request completed").length).toBe(1);
    const line = entries().find((e) => e.msg === "request completed");
    expect(line).toMatchObject({
      level: 30,
      req: { id: "req-abc.1", method: "GET", path: "/oauth/microsoft/callback" },
      res: { statusCode: 303 },
      responseTime: expect.any(Number),
    });
    expect(logLines.join("")).not.toContain("secret-code");
  });

  it("makes up an id for a missing or unusable X-Request-Id, and routes log under the request's id", async () => {
    const response = await fetch(`${server.url}/webhooks/vapi`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer nobody-s-secret-0000000000" },
      body: JSON.stringify({ message: { type: "tool-calls", call: { assistantId: "asst_log" } } }),
    });
    expect(response.status).toBe(401);
    const id = response.headers.get("x-request-id");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await expect.poll(() => entries().filter((e) => (e.req as { id?: string })?.id === id).length).toBe(2);
    const [refused, access] = entries().filter((e) => (e.req as { id?: string })?.id === id);
    expect(refused).toMatchObject({
      level: 40,
      msg: "vapi request refused",
      req: { path: "/webhooks/vapi" },
    });
    expect(access).toMatchObject({ level: 30, msg: "request completed", res: { statusCode: 401 } });
  });
});
