// POST /webhooks/clerk refuses anything Svix did not sign, before touching the database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildConfig, clerkWebhookConfig } from "../src/config.js";
import { readEnv } from "../src/env.js";
import { createClerkInstance } from "./support/clerk-instance.js";
import { configError } from "./support/config-error.js";
import {
  clerkUserEvent,
  newWebhookSecret,
  postDelivery,
  type SignedDelivery,
  signDelivery,
} from "./support/svix.js";
import { startTestServer, type TestServer } from "./support/test-server.js";

const secret = newWebhookSecret();
const nextSecret = newWebhookSecret();
let server: TestServer;
let rotating: TestServer;
let unconfigured: TestServer;

beforeAll(async () => {
  [server, rotating, unconfigured] = await Promise.all([
    startTestServer({ CLERK_WEBHOOK_SECRET: secret }),
    // Clerk's newer variable name, holding the old and the new secret during a rotation.
    startTestServer({ CLERK_WEBHOOK_SIGNING_SECRET: `${secret}, ${nextSecret}` }),
    startTestServer(),
  ]);
});
afterAll(() => Promise.all([server?.close(), rotating?.close(), unconfigured?.close()]));

let counter = 0;
function userCreated() {
  const id = `user_verify_${++counter}`;
  return {
    id,
    payload: clerkUserEvent("user.created", { id, email: `${id}@example.com`, updatedAt: Date.now() }),
  };
}

/** A refused delivery answers 400 with `reason` and leaves no trace in the database. */
async function expectRefused(target: TestServer, delivery: SignedDelivery, reason: string | RegExp) {
  const response = await postDelivery(target.url, delivery);
  expect(response.status).toBe(400);
  expect(response.body.error).toMatch(reason);
  expect(await target.db.clerkWebhookEvent.count({ where: { svixId: delivery.svixId } })).toBe(0);
}

describe("svix signature verification", () => {
  it("accepts a delivery signed with the configured secret", async () => {
    const { id, payload } = userCreated();
    const response = await postDelivery(server.url, signDelivery(secret, payload));
    expect(response).toEqual({ status: 200, body: { received: true, outcome: "applied" } });
    expect(await server.db.user.count({ where: { clerkUserId: id } })).toBe(1);
  });

  it("refuses a malformed signature", async () => {
    const { id, payload } = userCreated();
    const delivery = signDelivery(secret, payload);
    delivery.headers["svix-signature"] = `v1,${Buffer.alloc(32).toString("base64")}`;
    await expectRefused(server, delivery, "invalid signature");
    expect(await server.db.user.count({ where: { clerkUserId: id } })).toBe(0);
  });

  it("refuses a delivery signed with another secret", async () => {
    const { payload } = userCreated();
    await expectRefused(server, signDelivery(newWebhookSecret(), payload), "invalid signature");
  });

  it("refuses a tampered body", async () => {
    const { id, payload } = userCreated();
    const delivery = signDelivery(secret, payload);
    delivery.body = delivery.body.replace(`${id}@example.com`, "attacker@example.com");
    await expectRefused(server, delivery, "invalid signature");
  });

  it("refuses a re-serialised body (same JSON, different bytes)", async () => {
    const { payload } = userCreated();
    const delivery = signDelivery(secret, JSON.stringify(payload, null, 2));
    delivery.body = JSON.stringify(JSON.parse(delivery.body));
    await expectRefused(server, delivery, "invalid signature");
  });

  it.each(["svix-id", "svix-timestamp", "svix-signature"])(
    "refuses a delivery without %s",
    async (header) => {
      const delivery = signDelivery(secret, userCreated().payload);
      delete delivery.headers[header];
      await expectRefused(server, delivery, "missing svix headers");
    },
  );

  it.each([
    ["6 minutes old", -6],
    ["6 minutes ahead", 6],
  ])("refuses a timestamp %s", async (_name, minutes) => {
    const at = new Date(Date.now() + minutes * 60_000);
    await expectRefused(
      server,
      signDelivery(secret, userCreated().payload, { at }),
      "timestamp outside tolerance",
    );
  });

  it("accepts a timestamp 4 minutes old (inside Svix's 5-minute tolerance)", async () => {
    const at = new Date(Date.now() - 4 * 60_000);
    expect((await postDelivery(server.url, signDelivery(secret, userCreated().payload, { at }))).status).toBe(
      200,
    );
  });

  it("accepts either secret during a rotation, and no other", async () => {
    const old = userCreated();
    const next = userCreated();
    expect((await postDelivery(rotating.url, signDelivery(secret, old.payload))).status).toBe(200);
    expect((await postDelivery(rotating.url, signDelivery(nextSecret, next.payload))).status).toBe(200);
    expect(await rotating.db.user.count({ where: { clerkUserId: { in: [old.id, next.id] } } })).toBe(2);
    await expectRefused(
      rotating,
      signDelivery(newWebhookSecret(), userCreated().payload),
      "invalid signature",
    );
  });
});

/**
 * A signed delivery that can never be applied: 200 (Svix would retry anything else for days in vain),
 * recorded as rejected with the reason, and nothing else written.
 */
async function expectRejected(target: TestServer, delivery: SignedDelivery, reason: string | RegExp) {
  const usersBefore = await target.db.user.count();
  const response = await postDelivery(target.url, delivery);
  expect(response).toEqual({ status: 200, body: { received: true, outcome: "rejected" } });
  const record = await target.db.clerkWebhookEvent.findUniqueOrThrow({ where: { svixId: delivery.svixId } });
  expect(record.outcome).toBe("rejected");
  expect(record.detail).toMatch(reason);
  expect(await target.db.user.count()).toBe(usersBefore);
}

describe("body checks after a valid signature", () => {
  it("rejects a body that is not JSON", async () => {
    await expectRejected(server, signDelivery(secret, "user.created id=1"), "body is not JSON");
  });

  it("rejects JSON that is not a Clerk event", async () => {
    await expectRejected(server, signDelivery(secret, { hello: "world" }), /^not a Clerk event/);
    await expectRejected(server, signDelivery(secret, [1, 2, 3]), /^not a Clerk event/);
  });

  it("rejects a user event whose data is not a Clerk user", async () => {
    const { payload } = userCreated();
    const broken = { ...payload, data: { ...payload.data, id: undefined, updated_at: "yesterday" } };
    await expectRejected(server, signDelivery(secret, broken), /^invalid user\.created: data\./);
  });

  it("refuses a body over the size limit with 413", async () => {
    const { payload } = userCreated();
    const huge = { ...payload, data: { ...payload.data, public_metadata: { blob: "x".repeat(300_000) } } };
    const response = await postDelivery(server.url, signDelivery(secret, huge));
    expect(response.status).toBe(413);
  });
});

describe("without a configured secret", () => {
  it("answers 503 webhook not configured", async () => {
    const response = await postDelivery(unconfigured.url, signDelivery(secret, userCreated().payload));
    expect(response).toEqual({ status: 503, body: { error: "webhook not configured" } });
    expect(await unconfigured.db.clerkWebhookEvent.count()).toBe(0);
  });
});

describe("webhook configuration", async () => {
  const clerk = await createClerkInstance();
  const keys = {
    CLERK_SECRET_KEY: clerk.secretKey,
    CLERK_PUBLISHABLE_KEY: clerk.publishableKey,
    CLERK_JWT_KEY: clerk.publicKeyPem,
  };

  it("merges both variable names and splits on commas", () => {
    const config = buildConfig(
      readEnv({
        ...keys,
        CLERK_WEBHOOK_SECRET: `${secret},${nextSecret}`,
        CLERK_WEBHOOK_SIGNING_SECRET: secret,
      }),
    );
    expect(config.clerkWebhook.secrets.sort()).toEqual([secret, nextSecret].sort());
    expect(config.clerkWebhook.retentionDays).toBe(30);
  });

  it("names a malformed secret", () => {
    expect(configError({ ...keys, CLERK_WEBHOOK_SIGNING_SECRET: "not-a-secret" })).toContain(
      "CLERK_WEBHOOK_SIGNING_SECRET",
    );
    expect(configError({ ...keys, CLERK_WEBHOOK_SECRET: `${secret},whsec_!!` })).toContain(
      "CLERK_WEBHOOK_SECRET",
    );
  });

  it("refuses a retention shorter than a week (Svix retries for about 5 days)", () => {
    expect(configError({ ...keys, CLERK_WEBHOOK_RETENTION_DAYS: "6" })).toContain(
      "CLERK_WEBHOOK_RETENTION_DAYS",
    );
    expect(
      buildConfig(readEnv({ ...keys, CLERK_WEBHOOK_RETENTION_DAYS: "7" })).clerkWebhook.retentionDays,
    ).toBe(7);
  });

  it("stops production without a webhook secret, and accepts it with one", () => {
    // Checked on its own: other production requirements (e.g. calendar keys) would mask the outcome.
    const production = (env: Record<string, string>) =>
      clerkWebhookConfig(readEnv({ ...keys, NODE_ENV: "production", ...env }));
    expect(() => production({})).toThrow(
      /CLERK_WEBHOOK_SIGNING_SECRET \(or CLERK_WEBHOOK_SECRET\): required in production/,
    );
    expect(production({ CLERK_WEBHOOK_SECRET: secret }).secrets).toEqual([secret]);
  });
});
