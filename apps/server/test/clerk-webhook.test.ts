// What Clerk's user events do to the users table: at most once per svix-id, in any delivery order.
import { createTestDatabase, type TestDatabase } from "@viewings/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trpcError } from "./support/expect-trpc-error.js";
import {
  type ClerkUserFixture,
  clerkUserDeletedEvent,
  clerkUserEvent,
  newWebhookSecret,
  postDelivery,
  signDelivery,
} from "./support/svix.js";
import { startTestServer, type TestServer } from "./support/test-server.js";

const secret = newWebhookSecret();
let database: TestDatabase;
let server: TestServer;
/** A second process on the same database, as behind a load balancer. */
let twin: TestServer;

beforeAll(async () => {
  database = await createTestDatabase();
  [server, twin] = await Promise.all([
    startTestServer({ CLERK_WEBHOOK_SECRET: secret }, { databaseUrl: database.url }),
    startTestServer({ CLERK_WEBHOOK_SECRET: secret }, { databaseUrl: database.url }),
  ]);
});
afterAll(async () => {
  await Promise.all([server?.close(), twin?.close()]);
  await database?.drop();
});

const t0 = Date.UTC(2026, 0, 1);
const minutes = (n: number) => t0 + n * 60_000;

async function deliver(payload: unknown, options: { svixId?: string; to?: TestServer } = {}) {
  const response = await postDelivery((options.to ?? server).url, signDelivery(secret, payload, options));
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.outcome;
}
const created = (user: ClerkUserFixture) => deliver(clerkUserEvent("user.created", user));
const updated = (user: ClerkUserFixture) => deliver(clerkUserEvent("user.updated", user));
const deleted = (id: string) => deliver(clerkUserDeletedEvent(id));
const userRow = (clerkUserId: string) => server.db.user.findUnique({ where: { clerkUserId } });

describe("user lifecycle", () => {
  it("created -> updated -> deleted: upserts, keeps Clerk's created_at, deletes with its connections", async () => {
    const id = "user_life_1";
    const createdAt = minutes(-60 * 24);
    expect(
      await created({
        id,
        email: "Ada@Example.COM",
        firstName: "Ada",
        lastName: null,
        createdAt,
        updatedAt: minutes(0),
      }),
    ).toBe("applied");
    expect(await userRow(id)).toMatchObject({
      email: "ada@example.com",
      firstName: "Ada",
      lastName: null,
      createdAt: new Date(createdAt),
      clerkUpdatedAt: new Date(minutes(0)),
    });
    const rowId = (await userRow(id))?.id ?? expect.fail("user row missing");

    await updated({
      id,
      email: "ada@lovelace.dev",
      firstName: "Ada",
      lastName: "Lovelace",
      createdAt,
      updatedAt: minutes(1),
    });
    expect(await userRow(id)).toMatchObject({
      id: rowId,
      email: "ada@lovelace.dev",
      lastName: "Lovelace",
      clerkUpdatedAt: new Date(minutes(1)),
    });

    await server.db.userCalendarConnection.create({
      data: { userId: rowId, provider: "google", accessToken: "ciphertext" },
    });
    expect(await deleted(id)).toBe("deleted");
    expect(await userRow(id)).toBeNull();
    expect(await server.db.userCalendarConnection.count({ where: { userId: rowId } })).toBe(0);
    expect(await server.db.deletedClerkUser.findUnique({ where: { clerkUserId: id } })).not.toBeNull();
    const records = await server.db.clerkWebhookEvent.findMany({
      where: { clerkUserId: id },
      orderBy: { receivedAt: "asc" },
    });
    expect(records.map((record) => [record.eventType, record.outcome])).toEqual([
      ["user.created", "applied"],
      ["user.updated", "applied"],
      ["user.deleted", "deleted"],
    ]);
  });

  it("stores a placeholder address for a user without a primary email", async () => {
    await created({ id: "user_NoMail_1", email: null, updatedAt: minutes(0) });
    expect((await userRow("user_NoMail_1"))?.email).toBe("user_nomail_1@pending.invalid");
    await updated({ id: "user_NoMail_1", email: "found@example.com", updatedAt: minutes(1) });
    expect((await userRow("user_NoMail_1"))?.email).toBe("found@example.com");
  });

  it("acknowledges an unknown event type with 200 and records it as ignored", async () => {
    const svixId = "msg_unknown_type_1";
    const payload = {
      object: "event",
      type: "session.created",
      data: { id: "sess_1", user_id: "user_x" },
      timestamp: t0,
    };
    expect(await deliver(payload, { svixId })).toBe("ignored");
    expect(await server.db.clerkWebhookEvent.findUnique({ where: { svixId } })).toMatchObject({
      eventType: "session.created",
      outcome: "ignored",
      clerkUserId: null,
    });
  });
});

describe("idempotency per svix-id", () => {
  it("applies the same delivery once when it arrives twice in a row", async () => {
    const payload = clerkUserEvent("user.created", {
      id: "user_dup_1",
      email: "dup1@example.com",
      updatedAt: minutes(0),
    });
    expect(await deliver(payload, { svixId: "msg_dup_1" })).toBe("applied");
    // A newer profile arrives in between; replaying the first delivery must not touch anything.
    await updated({ id: "user_dup_1", email: "dup1@example.com", firstName: "Newer", updatedAt: minutes(5) });
    expect(await deliver(payload, { svixId: "msg_dup_1" })).toBe("duplicate");
    expect(await server.db.clerkWebhookEvent.count({ where: { svixId: "msg_dup_1" } })).toBe(1);
    expect((await userRow("user_dup_1"))?.firstName).toBe("Newer");
  });

  it("applies each delivery exactly once when copies hit two server processes at the same time", async () => {
    const deliveries = Array.from({ length: 8 }, (_, n) => ({
      svixId: `msg_race_${n}`,
      payload: clerkUserEvent("user.created", {
        id: `user_race_${n}`,
        email: `race${n}@example.com`,
        updatedAt: minutes(n),
      }),
    }));
    const outcomes = await Promise.all(
      deliveries.flatMap(({ svixId, payload }) =>
        [server, twin, server, twin].map((to) =>
          deliver(payload, { svixId, to }).then((outcome) => ({ svixId, outcome })),
        ),
      ),
    );
    for (const { svixId } of deliveries) {
      const mine = outcomes
        .filter((result) => result.svixId === svixId)
        .map((result) => result.outcome)
        .sort();
      expect(mine).toEqual(["applied", "duplicate", "duplicate", "duplicate"]);
    }
    const records = await server.db.clerkWebhookEvent.findMany({
      where: { svixId: { startsWith: "msg_race_" } },
    });
    expect(records).toHaveLength(8);
    expect(records.every((record) => record.outcome === "applied")).toBe(true);
    expect(await server.db.user.count({ where: { clerkUserId: { startsWith: "user_race_" } } })).toBe(8);
  });

  it("serialises different events for one user across processes", async () => {
    const id = "user_race_versions";
    const versions = Array.from({ length: 10 }, (_, n) => ({
      id,
      email: "versions@example.com",
      firstName: `v${n}`,
      updatedAt: minutes(n),
    }));
    await Promise.all(
      versions.map((user, n) => deliver(clerkUserEvent("user.updated", user), { to: n % 2 ? twin : server })),
    );
    expect(await userRow(id)).toMatchObject({ firstName: "v9", clerkUpdatedAt: new Date(minutes(9)) });
  });
});

describe("delivery order", () => {
  it("never lets an older profile overwrite a newer one (updated before created)", async () => {
    const id = "user_order_1";
    await updated({ id, email: "order1.new@example.com", firstName: "New", updatedAt: minutes(2) });
    expect(await created({ id, email: "order1@example.com", firstName: "Old", updatedAt: minutes(0) })).toBe(
      "stale",
    );
    expect(await userRow(id)).toMatchObject({ email: "order1.new@example.com", firstName: "New" });
  });

  it("keeps a deleted user deleted when created/updated arrive after the deletion", async () => {
    const id = "user_order_2";
    expect(await deleted(id)).toBe("deleted");
    expect(await created({ id, email: "ghost@example.com", updatedAt: minutes(0) })).toBe("user_deleted");
    expect(await updated({ id, email: "ghost@example.com", updatedAt: minutes(9) })).toBe("user_deleted");
    expect(await userRow(id)).toBeNull();
  });

  it("refuses to recreate a deleted user lazily, from a still-valid session or a service call", async () => {
    const id = "user_order_3";
    await created({ id, email: "gone@example.com", updatedAt: minutes(0) });
    await deleted(id);
    const client = await server.clientFor(id, "gone@example.com");
    expect(await trpcError(client.users.me.query())).toMatchObject({ code: "NOT_FOUND" });
    const viaService = server
      .client(server.serviceKey)
      .users.createFromClerk.mutate({ clerkUserId: id, email: "gone@example.com" });
    expect(await trpcError(viaService)).toMatchObject({ code: "NOT_FOUND" });
    expect(await userRow(id)).toBeNull();
  });

  it("lets a webhook profile replace one created lazily from session claims", async () => {
    const id = "user_order_4";
    const me = await (await server.clientFor(id, "lazy@example.com")).users.me.query();
    await updated({
      id,
      email: "lazy@example.com",
      firstName: "From",
      lastName: "Clerk",
      updatedAt: minutes(0),
    });
    expect(await userRow(id)).toMatchObject({ id: me.id, firstName: "From", lastName: "Clerk" });
  });
});

/** All orders of `items`. */
function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

describe("email addresses moving between users converge in any order", () => {
  type Step = { name: string; user: ClerkUserFixture };
  const orderName = (steps: Step[]) => steps.map((step) => step.name).join(" -> ");

  // A gives up shared@ (moving to a.new@) and B, created later, takes it.
  const handOver = permutations<Step>([
    { name: "A created(shared)", user: { id: "A", email: "shared@example.com", updatedAt: minutes(0) } },
    { name: "A updated(a.new)", user: { id: "A", email: "a.new@example.com", updatedAt: minutes(1) } },
    { name: "B created(shared)", user: { id: "B", email: "shared@example.com", updatedAt: minutes(2) } },
  ]);
  it.each(handOver.map((steps, n) => [orderName(steps), n, steps] as const))(
    "hand-over: %s",
    async (_name, n, steps) => {
      const ids = { A: `user_handover_${n}_a`, B: `user_handover_${n}_b` };
      const domain = `handover${n}.example.com`;
      for (const { name, user } of steps) {
        const real = {
          ...user,
          id: ids[user.id as "A" | "B"],
          email: user.email?.replace("example.com", domain),
        };
        await deliver(clerkUserEvent(name.includes("created") ? "user.created" : "user.updated", real));
      }
      expect((await userRow(ids.A))?.email).toBe(`a.new@${domain}`);
      expect((await userRow(ids.B))?.email).toBe(`shared@${domain}`);
    },
  );

  // A and B swap addresses; Clerk keeps them unique at every instant, so A passes through a third one.
  const swap = permutations<Step>([
    { name: "A -> temp", user: { id: "A", email: "temp@example.com", updatedAt: minutes(2) } },
    { name: "B -> a", user: { id: "B", email: "a@example.com", updatedAt: minutes(3) } },
    { name: "A -> b", user: { id: "A", email: "b@example.com", updatedAt: minutes(4) } },
  ]);
  it.each(swap.map((steps, n) => [orderName(steps), n, steps] as const))(
    "swap: %s",
    async (_name, n, steps) => {
      const ids = { A: `user_swap_${n}_a`, B: `user_swap_${n}_b` };
      const domain = `swap${n}.example.com`;
      const inDomain = (email: string | null | undefined) => email?.replace("example.com", domain);
      await created({ id: ids.A, email: inDomain("a@example.com"), updatedAt: minutes(0) });
      await created({ id: ids.B, email: inDomain("b@example.com"), updatedAt: minutes(1) });
      for (const { user } of steps) {
        await updated({ ...user, id: ids[user.id as "A" | "B"], email: inDomain(user.email) });
      }
      expect((await userRow(ids.A))?.email).toBe(`b@${domain}`);
      expect((await userRow(ids.B))?.email).toBe(`a@${domain}`);
    },
  );
});
