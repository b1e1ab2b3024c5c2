// Issue 11, observations 2 (CSRF through the session cookie), 3 (no tRPC batch cap) and 8
// (information in responses), through the real HTTP stack.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./support/test-server.js";

let server: TestServer;
/** The same server with a small per-user call budget. */
let budgeted: TestServer;
beforeAll(async () => {
  [server, budgeted] = await Promise.all([
    startTestServer({ CORS_ORIGINS: "https://app.viewings.test" }),
    startTestServer({ RATE_LIMIT_TRPC_USER: "20/600" }),
  ]);
});
afterAll(() => Promise.all([server?.close(), budgeted?.close()]));

const token = (on: TestServer, clerkUserId: string) =>
  on.clerk.sessionToken(clerkUserId, { claims: { email: `${clerkUserId.toLowerCase()}@example.com` } });

const userRows = (on: TestServer, clerkUserId: string) => on.db.user.count({ where: { clerkUserId } });

async function send(url: string, init: RequestInit = {}) {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, text };
}

describe("observation 2: CSRF through the session cookie", () => {
  const booking =
    "/calendar/events?subject=Viewing&start_time=2030-03-03T15:00:00Z&end_time=2030-03-03T15:30:00Z" +
    "&attendees=attacker@evil.example";

  it("refuses the cross-site text/plain POST that carries only Clerk's cookies (415, nothing runs)", async () => {
    const victim = await token(server, "user_csrf_victim");
    const response = await send(`${server.url}${booking}`, {
      method: "POST",
      headers: {
        "content-type": "text/plain",
        origin: "https://evil.example",
        cookie: `__session=${victim}; __client_uat=1700000000`,
      },
      body: "",
    });
    expect(response.status).toBe(415);
    expect(JSON.parse(response.text).message).toMatch(/Content-Type must be application\/json/);
    expect(await userRows(server, "user_csrf_victim")).toBe(0);
    expect(await server.db.booking.count()).toBe(0);
  });

  it("never reads the session cookie: without a bearer the caller is anonymous", async () => {
    const victim = await token(server, "user_cookie_only");
    const cookie = `__session=${victim}`;
    const rest = await send(`${server.url}${booking}`, { method: "POST", headers: { cookie } });
    expect(rest.status).toBe(401);
    const trpc = await send(`${server.url}/trpc/users.me`, { headers: { cookie } });
    expect(trpc.status).toBe(401);
    expect(await userRows(server, "user_cookie_only")).toBe(0);
  });

  it("still accepts the old frontend's call: bearer, Content-Type: application/json, query parameters", async () => {
    const response = await send(`${server.url}${booking}`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${await token(server, "user_old_app")}`,
        "content-type": "application/json",
      },
    });
    // Passes every guard and reaches the procedure, which wants a connected calendar.
    expect(response.status).toBe(412);
  });

  it("refuses form and multipart bodies on /trpc mutations too", async () => {
    for (const type of [
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
    ]) {
      const response = await send(`${server.url}/trpc/agents.create`, {
        method: "POST",
        headers: { authorization: `Bearer ${await token(server, "user_form")}`, "content-type": type },
        body: '{"vapiAssistantId":"asst_form","name":"Form"}',
      });
      expect(response.status).toBe(415);
    }
    expect(await server.db.agent.count()).toBe(0);
  });
});

describe("observation 3: tRPC batch cap and work per request", () => {
  const batch = (size: number) =>
    `/trpc/${Array.from({ length: size }, () => "users.me").join(",")}?batch=1&input=${encodeURIComponent("{}")}`;

  it("refuses a batch of more than 10 calls before running any of them", async () => {
    const response = await send(`${server.url}${batch(1700)}`, {
      headers: { authorization: `Bearer ${await token(server, "user_batch_big")}` },
    });
    expect(response.status).toBe(400);
    expect(response.text).toContain("Batch call exceeds maximum size");
    // users.me creates the row on first use: none was created, so no call ran.
    expect(await userRows(server, "user_batch_big")).toBe(0);
  });

  it("runs a batch of 10", async () => {
    const response = await send(`${server.url}${batch(10)}`, {
      headers: { authorization: `Bearer ${await token(server, "user_batch_ten")}` },
    });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toHaveLength(10);
  });

  it("counts every call of a batch against the user's budget: 429 with Retry-After once spent", async () => {
    const headers = { authorization: `Bearer ${await token(budgeted, "user_budget")}` };
    expect((await send(`${budgeted.url}${batch(10)}`, { headers })).status).toBe(200);
    expect((await send(`${budgeted.url}${batch(10)}`, { headers })).status).toBe(200);
    const spent = await send(`${budgeted.url}${batch(1)}`, { headers });
    expect(spent.status).toBe(429);
    expect(Number(spent.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another user's budget is their own.
    const other = { authorization: `Bearer ${await token(budgeted, "user_budget_other")}` };
    expect((await send(`${budgeted.url}${batch(1)}`, { headers: other })).status).toBe(200);
  });
});

describe("observation 8: information in responses", () => {
  it("sends no x-clerk-auth-* headers for rejected tokens", async () => {
    const expired = await server.clerk.sessionToken("user_hdr", { expiresIn: -60 });
    for (const bearer of ["not.a.jwt", expired]) {
      const response = await send(`${server.url}/trpc/users.me`, {
        headers: { authorization: `Bearer ${bearer}`, accept: "text/html" },
      });
      expect(response.status).toBe(401);
      const clerkHeaders = [...response.headers.keys()].filter((name) => name.startsWith("x-clerk"));
      expect(clerkHeaders).toEqual([]);
    }
  });

  it("answers malformed bodies in our words, never the JSON parser's", async () => {
    const headers = {
      authorization: `Bearer ${await token(server, "user_words")}`,
      "content-type": "application/json",
    };
    const trpc = await send(`${server.url}/trpc/agents.create`, {
      method: "POST",
      headers,
      body: '{"name": tru',
    });
    expect(trpc.status).toBe(400);
    expect(JSON.parse(trpc.text).message).toBe("body: not valid JSON");
    const rest = await send(`${server.url}/users/create-from-clerk`, {
      method: "POST",
      headers,
      body: "{,}",
    });
    expect(rest.status).toBe(422);
    for (const text of [trpc.text, rest.text]) expect(text).not.toMatch(/position|Unexpected|token/i);
  });
});
