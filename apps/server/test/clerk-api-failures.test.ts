// Clerk's Backend API (read for users whose session token has no email claim) failing in every way it
// can: the request is answered 503 with a clear message within CLERK_API_TIMEOUT_MS, never 500 or a hang.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ClerkApiServer, startClerkApiServer } from "./support/clerk-api-server.js";
import { startTestServer, type TestServer } from "./support/test-server.js";

const timeoutMs = 1_000;
let clerkApi: ClerkApiServer;
let server: TestServer;

beforeAll(async () => {
  clerkApi = await startClerkApiServer();
  server = await startTestServer({ CLERK_API_URL: clerkApi.url, CLERK_API_TIMEOUT_MS: String(timeoutMs) });
});
afterAll(async () => {
  await server?.close();
  await clerkApi?.close();
});

/** users.me for a user the database does not know yet, with no email claim: Clerk's API is asked. */
async function firstRequest(clerkUserId: string) {
  const token = await server.clerk.sessionToken(clerkUserId);
  const started = performance.now();
  const response = await fetch(`${server.url}/trpc/users.me`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const body = (await response.json()) as { error: { message: string; data: { code: string } } };
  return {
    status: response.status,
    retryAfter: response.headers.get("retry-after"),
    body,
    ms: performance.now() - started,
  };
}

describe("Clerk Backend API failures", () => {
  it.each([
    ["hangs", "hang", /no answer within 1000 ms/],
    ["answers 429", 429, /rate limited by Clerk \(429\)/],
    ["answers 500", 500, /Clerk's API answered 500/],
    ["does not know the user (404)", 404, /Clerk does not know this user \(404\)/],
  ] as const)("%s: 503 SERVICE_UNAVAILABLE within the timeout", async (_name, failure, message) => {
    clerkApi.failure = failure;
    const answer = await firstRequest(`user_clerk_${String(failure)}`);
    expect(answer.status).toBe(503);
    expect(answer.retryAfter).toBe("5");
    expect(answer.body.error.data.code).toBe("SERVICE_UNAVAILABLE");
    expect(answer.body.error.message).toMatch(message);
    // Generous margin for a loaded machine; the point is that a hang does not hold the request open.
    expect(answer.ms).toBeLessThan(timeoutMs + 4_000);
  });

  it("refused connections: 503, and the user is created once Clerk answers again", async () => {
    const refused = await startTestServer({
      CLERK_API_URL: "http://127.0.0.1:9",
      CLERK_API_TIMEOUT_MS: String(timeoutMs),
    });
    try {
      const token = await refused.clerk.sessionToken("user_clerk_refused");
      const response = await fetch(`${refused.url}/trpc/users.me`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.status).toBe(503);
      expect(JSON.stringify(await response.json())).toMatch(/Clerk's API is unreachable/);
    } finally {
      await refused.close();
    }

    clerkApi.failure = undefined;
    clerkApi.users.set("user_clerk_back", {
      id: "user_clerk_back",
      email: "back@example.com",
      updatedAt: Date.now(),
    });
    const answer = await firstRequest("user_clerk_back");
    expect(answer.status).toBe(200);
  });
});
