// Issue 11, observation 7: no rate limiting anywhere. Two server processes share one database, so
// the counters are shown to hold across instances. Client addresses come from X-Forwarded-For, which
// the server honours for one proxy hop (trust proxy 1), so each test uses addresses of its own.
import { createTestDatabase } from "@viewings/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clerkUserEvent, newWebhookSecret, postDelivery, signDelivery } from "./support/svix.js";
import { startTestServer, type TestServer } from "./support/test-server.js";
import { postVapi, toolCallsMessage } from "./support/vapi.js";

const webhookSecret = newWebhookSecret();
const vapiSecret = "shared-vapi-secret-0123456789";
const limits = {
  RATE_LIMIT_FAILED_AUTH: "5/600",
  RATE_LIMIT_FAILED_AUTH_BLOCK_SECONDS: "600",
  RATE_LIMIT_OAUTH_CALLBACK: "3/600",
  RATE_LIMIT_WEBHOOKS: "8/600",
  CLERK_WEBHOOK_SIGNING_SECRET: webhookSecret,
  VAPI_WEBHOOK_SECRETS: vapiSecret,
};
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let first: TestServer;
let second: TestServer;
beforeAll(async () => {
  database = await createTestDatabase();
  first = await startTestServer(limits, { databaseUrl: database.url });
  // Same database, its own process state: what one instance counts, the other sees.
  second = await startTestServer(
    { ...limits, SERVICE_API_KEYS: first.serviceKey },
    { databaseUrl: database.url },
  );
});
afterAll(async () => {
  await Promise.all([first?.close(), second?.close()]);
  await database?.drop();
});

async function usersMe(on: TestServer, address: string, bearer: string) {
  const response = await fetch(`${on.url}/trpc/users.me`, {
    headers: { authorization: `Bearer ${bearer}`, "x-forwarded-for": address },
  });
  return { status: response.status, retryAfter: response.headers.get("retry-after") };
}

describe("failed authentications per client address", () => {
  it("locks an address out after a burst of wrong service keys, across instances, with Retry-After", async () => {
    const wrong = "wrong-service-key-0123456789";
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      statuses.push((await usersMe(attempt % 2 ? first : second, "203.0.113.10", wrong)).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    const locked = await usersMe(first, "203.0.113.10", wrong);
    expect(locked.status).toBe(429);
    expect(Number(locked.retryAfter)).toBeGreaterThan(60);
    // Locked out means locked out: even the right key is refused from that address.
    expect((await usersMe(second, "203.0.113.10", first.serviceKey)).status).toBe(429);
  });

  it("leaves successful callers alone: their calls cost nothing, other addresses are unaffected", async () => {
    const token = await first.clerk.sessionToken("user_rl_ok", { claims: { email: "rl.ok@example.com" } });
    for (let call = 0; call < 12; call++)
      expect((await usersMe(first, "203.0.113.20", token)).status).toBe(200);
    for (let attempt = 0; attempt < 6; attempt++) await usersMe(first, "203.0.113.21", "garbage");
    expect((await usersMe(first, "203.0.113.21", "garbage")).status).toBe(429);
    expect((await usersMe(first, "203.0.113.21", first.serviceKey)).status).toBe(429);
    // A session this instance already verified is a proven credential, not a guess: it still works.
    expect((await usersMe(first, "203.0.113.21", token)).status).toBe(200);
    expect((await usersMe(first, "203.0.113.20", token)).status).toBe(200);
  });

  it("counts wrong VAPI secrets the same way", async () => {
    const message = toolCallsMessage("asst_rl", [{ id: "tc_1", name: "check_availability", args: {} }]);
    const headers = (secret: string) => ({
      authorization: `Bearer ${secret}`,
      "x-forwarded-for": "203.0.113.30",
    });
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++) {
      statuses.push(
        (await postVapi(first.url, message, headers(`wrong-vapi-secret-${attempt}-000000`))).status,
      );
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });
});

describe("per-address limits on OAuth callbacks and webhooks", () => {
  it("answers 429 with Retry-After past the OAuth callback limit", async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      const response = await fetch(
        `${(attempt % 2 ? first : second).url}/oauth/microsoft/callback?state=x&code=y`,
        {
          redirect: "manual",
          headers: { "x-forwarded-for": "203.0.113.40" },
        },
      );
      statuses.push(response.status);
      if (response.status === 429) expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    expect(statuses).toEqual([303, 303, 303, 429]);
  });

  it("answers 429 past the webhook limit, before verifying or writing anything", async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 9; attempt++) {
      const event = clerkUserEvent("user.created", { id: `user_rl_hook_${attempt}`, updatedAt: Date.now() });
      const delivery = signDelivery(webhookSecret, event);
      delivery.headers["x-forwarded-for"] = "203.0.113.50";
      statuses.push((await postDelivery(first.url, delivery)).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 429]);
    expect(await first.db.user.count({ where: { clerkUserId: "user_rl_hook_8" } })).toBe(0);
  });
});
