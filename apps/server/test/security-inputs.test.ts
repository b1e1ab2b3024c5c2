// Issue 11, observations 4 (inputs that caused 500), 5 (signed webhooks that failed forever) and 6
// (personal data in logs), through the real HTTP stack with the server's log captured.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serializeError } from "../src/logging/error-serializer.js";
import { type ClerkApiServer, startClerkApiServer } from "./support/clerk-api-server.js";
import { clerkUserEvent, newWebhookSecret, postDelivery, signDelivery } from "./support/svix.js";
import { startTestServer, type TestServer } from "./support/test-server.js";

const webhookSecret = newWebhookSecret();
const logLines: string[] = [];
let server: TestServer;
let clerkApi: ClerkApiServer;
beforeAll(async () => {
  clerkApi = await startClerkApiServer();
  server = await startTestServer(
    {
      CLERK_WEBHOOK_SIGNING_SECRET: webhookSecret,
      CLERK_API_URL: clerkApi.url,
      CORS_ORIGINS: "https://app.viewings.test",
      VAPI_WEBHOOK_SECRETS: "vapi-shared-secret-SENTINEL-0001",
    },
    { logLines },
  );
});
afterAll(() => Promise.all([server?.close(), clerkApi?.close()]));

/** Values that must never show up in a log line, whatever was sent. */
const secrets = {
  email: "sentinel.person@example.com",
  firstName: "Sentinelfirstname",
  lastName: "Sentinellastname",
  vapiSecret: "wrong-vapi-secret-SENTINEL-0002",
  serviceKey: "wrong-service-key-SENTINEL-0003",
};

async function call(path: string, init: { method?: string; body?: string; bearer?: string } = {}) {
  const response = await fetch(`${server.url}${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: {
      ...(init.bearer ? { authorization: `Bearer ${init.bearer}` } : {}),
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(init.body === undefined ? {} : { body: init.body }),
  });
  return {
    status: response.status,
    body: (await response.json().catch(() => null)) as Record<string, unknown>,
  };
}

const userToken = (clerkUserId: string, claims: Record<string, unknown> = {}) =>
  server.clerk.sessionToken(clerkUserId, { claims: { email: `${clerkUserId}@example.com`, ...claims } });

const service = () => server.serviceKey;

describe("observation 4: every door answers 4xx, never 500", () => {
  it("refuses NUL in any string that would reach PostgreSQL, naming it, with nothing written", async () => {
    const bearer = await userToken("user_nul");
    const usersBefore = await server.db.user.count();
    const cases: Array<[string, Parameters<typeof call>[1]]> = [
      [
        "/trpc/agents.create",
        { bearer, body: JSON.stringify({ vapiAssistantId: "asst_nul", name: "Ann\u0000" }) },
      ],
      [
        "/trpc/calendar.connect",
        {
          bearer,
          body: JSON.stringify({ provider: "microsoft", returnTo: "https://app.viewings.test/\u0000" }),
        },
      ],
      [
        "/trpc/events.create",
        {
          bearer,
          body: JSON.stringify({
            subject: "Viewing",
            start: "2030-03-03T15:00:00Z",
            end: "2030-03-03T15:30:00Z",
            idempotencyKey: "key\u0000",
          }),
        },
      ],
      [
        "/trpc/users.createFromClerk",
        {
          bearer: service(),
          body: JSON.stringify({ clerkUserId: "user_nul2", email: "n@example.com", firstName: "A\u0000" }),
        },
      ],
      [
        "/trpc/users.createFromClerk",
        { bearer: service(), body: JSON.stringify({ clerkUserId: "user\u0000nul", email: "m@example.com" }) },
      ],
      ["/users/by-clerk-id/user%00nul", { bearer: service() }],
      [
        `/trpc/users.byClerkId?input=${encodeURIComponent(JSON.stringify({ clerkUserId: "a\u0000" }))}`,
        { bearer },
      ],
      [
        "/users/create-from-clerk",
        { bearer: service(), body: JSON.stringify({ clerk_user_id: "x\u0000", email: "o@example.com" }) },
      ],
    ];
    for (const [path, init] of cases) {
      const response = await call(path, init);
      expect(response.status, path).toBeGreaterThanOrEqual(400);
      expect(response.status, path).toBeLessThan(500);
      expect(JSON.stringify(response.body), path).toMatch(/NUL/);
    }
    expect(await server.db.agent.count()).toBe(0);
    expect(await server.db.user.count()).toBe(usersBefore);
  });

  it("refuses JSON nested 10,000 deep on /trpc and REST before anything re-serialises it", async () => {
    const deep = `${"[".repeat(10_000)}${"]".repeat(10_000)}`;
    const bearer = await userToken("user_deep");
    const trpc = await call("/trpc/agents.create", { bearer, body: `{"name":${deep}}` });
    expect(trpc.status).toBe(400);
    expect(trpc.body.message).toMatch(/nested deeper than 32/);
    const query = await call(
      `/trpc/users.byClerkId?input=${encodeURIComponent(`{"clerkUserId":${deep.slice(0, 2000)}}`)}`,
      {
        bearer,
      },
    );
    expect(query.status).toBe(400);
    const rest = await call("/users/create-from-clerk", { bearer: service(), body: `{"email":${deep}}` });
    expect(rest.status).toBe(422);
  });

  it("cuts session-claim names to their column and drops NUL, so the user's requests keep working", async () => {
    const bearer = await userToken("user_long_claims", {
      first_name: "F".repeat(300),
      last_name: "La\u0000st",
    });
    for (let round = 0; round < 2; round++) {
      const me = await call("/trpc/users.me", { bearer });
      expect(me.status).toBe(200);
    }
    const row = await server.db.user.findUniqueOrThrow({ where: { clerkUserId: "user_long_claims" } });
    expect(row.firstName).toBe("F".repeat(100));
    expect(row.lastName).toBe("Last");
  });

  it("treats a session whose user id no column can hold as no session (401, not 500)", async () => {
    for (const id of ["user_\u0000x", `user_${"x".repeat(300)}`]) {
      const response = await call("/trpc/users.me", { bearer: await server.clerk.sessionToken(id) });
      expect(response.status).toBe(401);
    }
  });

  it("cuts a Clerk profile's names to their columns when the user is created from the Backend API", async () => {
    clerkApi.users.set("user_long_profile", {
      id: "user_long_profile",
      email: "long.profile@example.com",
      firstName: `N\u0000${"n".repeat(300)}`,
      lastName: "L".repeat(101),
      updatedAt: Date.now(),
    });
    const me = await call("/trpc/users.me", { bearer: await server.clerk.sessionToken("user_long_profile") });
    expect(me.status).toBe(200);
    const row = await server.db.user.findUniqueOrThrow({ where: { clerkUserId: "user_long_profile" } });
    expect(row.firstName).toBe(`N${"n".repeat(99)}`);
    expect(row.lastName).toBe("L".repeat(100));
  });

  it("refuses timestamps outside years 1..9999 after the offset, and the user's reads keep working", async () => {
    for (const createdAt of ["9999-12-31T23:59:59-23:59", "0000-01-01T00:00:00Z"]) {
      const response = await call("/trpc/users.createFromClerk", {
        bearer: service(),
        body: JSON.stringify({ clerkUserId: "user_far_future", email: "far@example.com", createdAt }),
      });
      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body)).toMatch(/createdAt: must be between years 1 and 9999/);
    }
    const edge = await call("/trpc/users.createFromClerk", {
      bearer: service(),
      body: JSON.stringify({
        clerkUserId: "user_far_future",
        email: "far@example.com",
        createdAt: "9999-12-31T23:59:59Z",
      }),
    });
    expect(edge.status).toBe(200);
    const read = await call(`/users/by-clerk-id/user_far_future`, { bearer: service() });
    expect(read.status).toBe(200);
  });
});

describe("observation 5: signed webhooks that can never be applied are acknowledged and recorded", () => {
  const profile = (id: string, extra: Record<string, unknown> = {}) => ({
    ...clerkUserEvent("user.created", { id, email: `${id}@example.com`, updatedAt: Date.now() }),
    ...extra,
  });

  it("applies a delivery whose svix-id is longer than the column, once", async () => {
    const svixId = `msg_${"x".repeat(300)}`;
    const delivery = signDelivery(webhookSecret, profile("user_long_svix"), { svixId });
    expect((await postDelivery(server.url, delivery)).body).toEqual({ received: true, outcome: "applied" });
    expect((await postDelivery(server.url, delivery)).body).toEqual({ received: true, outcome: "duplicate" });
    expect(await server.db.user.count({ where: { clerkUserId: "user_long_svix" } })).toBe(1);
  });

  it.each([
    [
      "updated_at 9e15",
      (event: ReturnType<typeof profile>) => ({ ...event, data: { ...event.data, updated_at: 9e15 } }),
    ],
    [
      "NUL in the user id",
      (event: ReturnType<typeof profile>) => ({ ...event, data: { ...event.data, id: "user_\u0000" } }),
    ],
    ["NUL in the event type", (event: ReturnType<typeof profile>) => ({ ...event, type: "user.\u0000" })],
  ])("%s: 200, recorded rejected with the reason, no user written", async (_name, spoil) => {
    const usersBefore = await server.db.user.count();
    const delivery = signDelivery(webhookSecret, spoil(profile("user_spoiled")));
    const response = await postDelivery(server.url, delivery);
    expect(response).toEqual({ status: 200, body: { received: true, outcome: "rejected" } });
    const record = await server.db.clerkWebhookEvent.findUniqueOrThrow({
      where: { svixId: delivery.svixId },
    });
    expect(record.outcome).toBe("rejected");
    expect(record.detail).toBeTruthy();
    expect(await server.db.user.count()).toBe(usersBefore);
  });

  it("applies a profile whose name holds NUL, with the character dropped", async () => {
    const event = profile("user_nul_name");
    const delivery = signDelivery(webhookSecret, {
      ...event,
      data: { ...event.data, first_name: "Ro\u0000se" },
    });
    expect((await postDelivery(server.url, delivery)).body.outcome).toBe("applied");
    const row = await server.db.user.findUniqueOrThrow({ where: { clerkUserId: "user_nul_name" } });
    expect(row.firstName).toBe("Rose");
  });
});

describe("observation 6: no personal data or credentials in logs", () => {
  it("a Prisma validation error is logged without the query's arguments", async () => {
    const error = await server.db.user
      .create({
        data: {
          clerkUserId: "user_prisma_args",
          email: secrets.email,
          firstName: secrets.firstName,
          createdAt: new Date(Number.NaN),
        },
      })
      .catch((caught: unknown) => caught);
    expect((error as Error).message).toContain(secrets.email);
    const logged = JSON.stringify(serializeError(error));
    expect(logged).toContain("PrismaClientValidationError");
    expect(logged).not.toContain(secrets.email);
    expect(logged).not.toContain(secrets.firstName);
  });

  it("every kind of bad input leaves no email, name, token or secret in the captured log", async () => {
    const token = await userToken("user_log_probe", {
      first_name: secrets.firstName,
      last_name: secrets.lastName,
    });
    const expired = await server.clerk.sessionToken("user_log_probe", { expiresIn: -60 });
    const profileBody = (extra: Record<string, unknown>) =>
      JSON.stringify({
        clerkUserId: "user_log_target",
        email: secrets.email,
        firstName: secrets.firstName,
        ...extra,
      });
    const attempts: Array<Promise<unknown>> = [
      call("/trpc/users.me", { bearer: token }),
      call("/trpc/users.me", { bearer: expired }),
      call("/trpc/users.me", { bearer: secrets.serviceKey }),
      call("/trpc/users.createFromClerk", {
        bearer: service(),
        body: profileBody({ createdAt: "0000-01-01T00:00:00Z" }),
      }),
      call("/trpc/users.createFromClerk", {
        bearer: service(),
        body: profileBody({ lastName: "x".repeat(500) }),
      }),
      call("/trpc/users.createFromClerk", {
        bearer: service(),
        body: profileBody({ firstName: `${secrets.firstName}\u0000` }),
      }),
      call("/trpc/users.createFromClerk", { bearer: service(), body: `{"email":"${secrets.email}",` }),
      call("/users/create-from-clerk", {
        bearer: service(),
        body: JSON.stringify({
          clerk_user_id: "user_log_rest",
          email: secrets.email,
          created_at: "9999-12-31T23:59:59-23:59",
        }),
      }),
      fetch(`${server.url}/webhooks/vapi`, {
        method: "POST",
        headers: { authorization: `Bearer ${secrets.vapiSecret}`, "content-type": "application/json" },
        body: JSON.stringify({ message: { type: "tool-calls", call: { assistantId: "asst_x" } } }),
      }),
      fetch(`${server.url}/oauth/microsoft/callback?code=${secrets.serviceKey}&state=${secrets.vapiSecret}`, {
        redirect: "manual",
      }),
    ];
    for (const attempt of attempts) await attempt;
    for (const spoil of [
      (e: ReturnType<typeof clerkUserEvent>) => ({ ...e, data: { ...e.data, updated_at: 9e15 } }),
      (e: ReturnType<typeof clerkUserEvent>) => ({ ...e, data: { ...e.data, id: "user_\u0000" } }),
    ]) {
      const event = clerkUserEvent("user.updated", {
        id: "user_log_hook",
        email: secrets.email,
        firstName: secrets.firstName,
        lastName: secrets.lastName,
        updatedAt: Date.now(),
      });
      await postDelivery(server.url, signDelivery(webhookSecret, spoil(event)));
    }
    const log = logLines.join("");
    expect(log.length).toBeGreaterThan(0);
    for (const value of [...Object.values(secrets), token, expired, server.serviceKey, webhookSecret]) {
      expect(log).not.toContain(value);
    }
  });
});
