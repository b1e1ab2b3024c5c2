// Deliveries survive a database outage (5xx, then Svix's retry succeeds), and old records are pruned.
import { createTestDatabase, type StandalonePostgres, startStandalonePostgres } from "@viewings/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clerkUserEvent, newWebhookSecret, postDelivery, signDelivery } from "./support/svix.js";
import { startTestServer, type TestServer } from "./support/test-server.js";

const secret = newWebhookSecret();
const dayMs = 24 * 60 * 60 * 1000;

describe("database outage", () => {
  let postgres: StandalonePostgres;
  let server: TestServer;
  beforeAll(async () => {
    postgres = await startStandalonePostgres(); // migrated with applyMigrations on first start
    server = await startTestServer({ CLERK_WEBHOOK_SECRET: secret }, { databaseUrl: postgres.url() });
  });
  afterAll(async () => {
    await postgres?.start();
    await server?.close();
    await postgres?.destroy();
  });

  it("answers 5xx while the database is down and applies Svix's redelivery once it is back", async () => {
    const id = "user_outage_1";
    const delivery = signDelivery(
      secret,
      clerkUserEvent("user.created", { id, email: "outage@example.com", updatedAt: Date.now() }),
    );

    await postgres.stop();
    const failed = await postDelivery(server.url, delivery);
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(failed.body.error).not.toMatch(/postgres|prisma|ECONNREFUSED/i);

    await postgres.start();
    // Svix retries the same message (same svix-id, signature and body).
    await expect
      .poll(async () => (await postDelivery(server.url, delivery)).status, { timeout: 15_000, interval: 200 })
      .toBe(200);
    const records = await server.db.clerkWebhookEvent.findMany({ where: { svixId: delivery.svixId } });
    expect(records.map((record) => record.outcome)).toEqual(["applied"]);
    expect((await server.db.user.findUnique({ where: { clerkUserId: id } }))?.email).toBe(
      "outage@example.com",
    );
  });
});

describe("pruning delivery records", () => {
  it("removes records past the retention at start-up and keeps recent ones", async () => {
    const database = await createTestDatabase();
    const seedServer = await startTestServer({}, { databaseUrl: database.url });
    const now = Date.now();
    const record = (svixId: string, ageDays: number) => ({
      svixId,
      eventType: "user.updated",
      outcome: "applied",
      receivedAt: new Date(now - ageDays * dayMs),
    });
    await seedServer.db.clerkWebhookEvent.createMany({
      data: [
        record("msg_old_40d", 40),
        record("msg_old_11d", 11),
        record("msg_recent_6d", 6),
        record("msg_new", 0),
      ],
    });
    await seedServer.close();

    const server = await startTestServer(
      { CLERK_WEBHOOK_SECRET: secret, CLERK_WEBHOOK_RETENTION_DAYS: "10" },
      { databaseUrl: database.url },
    );
    try {
      const remaining = async () =>
        (await server.db.clerkWebhookEvent.findMany({ orderBy: { svixId: "asc" } })).map((row) => row.svixId);
      await expect.poll(remaining, { timeout: 10_000 }).toEqual(["msg_new", "msg_recent_6d"]);
    } finally {
      await server.close();
      await database.drop();
    }
  });
});
