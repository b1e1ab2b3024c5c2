/**
 * The database function clerk_apply_delivery (one round trip per webhook delivery) must do what the
 * TypeScript rules in apply-event.ts (the specification) do. Each sequence of deliveries below runs on
 * two fresh databases, one through the rules statement by statement (ClerkSyncStore in a transaction,
 * as the service ran them before) and one through the service's single statement; the results of
 * every delivery, the users rows, the tombstones and the delivery records must be identical.
 */
import { createDatabase, type Database, inClerkSyncTransaction } from "@viewings/db";
import { createTestDatabase, type TestDatabase } from "@viewings/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyEvent } from "../../../packages/api/src/services/clerk-sync/apply-event.js";
import { clerkUserIdOf, parseClerkEvent } from "../../../packages/api/src/services/clerk-sync/clerk-event.js";
import { ClerkSyncService } from "../../../packages/api/src/services/clerk-sync/clerk-sync-service.js";
import { type ClerkUserFixture, clerkUserDeletedEvent, clerkUserEvent } from "./support/svix.js";

interface Delivery {
  svixId: string;
  body: unknown;
}

/** The rules as the service applied them before the database function: one statement at a time. */
async function stepwise(db: Database, { svixId, body }: Delivery) {
  const event = parseClerkEvent(body);
  const applied = await inClerkSyncTransaction(db, async (store) => {
    const claimed = await store.claimDelivery({
      svixId,
      eventType: event.type,
      clerkUserId: clerkUserIdOf(event),
      eventTimestamp: event.timestamp,
    });
    if (!claimed) return null;
    const result = await applyEvent(store, event);
    await store.recordOutcome(svixId, result.outcome, result.detail);
    return result;
  });
  return applied ?? { outcome: "duplicate", detail: "svix-id already handled" };
}

const t0 = Date.UTC(2026, 0, 1);
const at = (minute: number) => t0 + minute * 60_000;

let counter = 0;
const send = (body: unknown, svixId = `msg_parity_${++counter}`): Delivery => ({ svixId, body });
const created = (user: ClerkUserFixture) => send(clerkUserEvent("user.created", user));
const updated = (user: ClerkUserFixture) => send(clerkUserEvent("user.updated", user));
const deleted = (id: string, minute: number) => send(clerkUserDeletedEvent(id, at(minute)));
const again = (delivery: Delivery) => ({ ...delivery });

/** Each sequence uses its own user ids and addresses, so all share the two databases. */
function sequences(): [string, Delivery[]][] {
  const ann = (n: number, email: string | null, minute: number, firstName = `Ann ${n}`) => ({
    id: `user_par_${n}`,
    email,
    firstName,
    lastName: "Parity",
    createdAt: at(-1000),
    updatedAt: at(minute),
  });
  const first = created(ann(1, "p1@example.com", 0));
  const movedFrom = ann(9, "p9-shared@example.com", 0);
  const movedTo = ann(10, "p9-shared@example.com", 5);
  return [
    ["created, then a newer update", [first, updated(ann(1, "p1-new@example.com", 5, "Ann renamed"))]],
    [
      "an older update after a newer one (stale)",
      [created(ann(2, "p2@example.com", 10)), updated(ann(2, "p2-old@example.com", 5))],
    ],
    [
      "the same version twice",
      [created(ann(3, "p3@example.com", 0)), updated(ann(3, "p3@example.com", 0, "Same"))],
    ],
    ["a duplicate svix-id", [first, again(first)]],
    [
      "deleted, then a late update",
      [created(ann(4, "p4@example.com", 0)), deleted("user_par_4", 5), updated(ann(4, "p4@example.com", 10))],
    ],
    [
      "deleted twice, and a deletion without a row",
      [deleted("user_par_5", 1), deleted("user_par_5", 2), created(ann(5, "p5@example.com", 0))],
    ],
    ["no primary address, then one", [created(ann(6, null, 0)), updated(ann(6, "p6@example.com", 5))]],
    ["upper-case address", [created(ann(7, "P7@Example.COM", 0))]],
    [
      "an address moves to a newer profile",
      [created(movedFrom), created(movedTo), updated(ann(9, "p9-own@example.com", 6))],
    ],
    [
      "an older profile claims a held address",
      [
        created(ann(11, "p11@example.com", 10)),
        created(ann(12, "p11@example.com", 5)),
        updated(ann(12, "p12@example.com", 20)),
      ],
    ],
    ["an address held by a row without a Clerk version", [created(ann(13, "p13@example.com", 0))]],
    [
      "an event type not handled",
      [send({ object: "event", type: "session.created", data: { id: "sess_1" }, timestamp: at(0) })],
    ],
    ["an update for a user never created", [updated(ann(14, "p14@example.com", 3))]],
  ];
}

let stepwiseDatabase: TestDatabase;
let functionDatabase: TestDatabase;
let stepwiseDb: Database;
let functionDb: Database;
beforeAll(async () => {
  [stepwiseDatabase, functionDatabase] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  stepwiseDb = createDatabase(stepwiseDatabase.url, { poolSize: 2 });
  functionDb = createDatabase(functionDatabase.url, { poolSize: 2 });
  // A row the service did not write (lazy creation without a Clerk version) holding p13's address.
  for (const db of [stepwiseDb, functionDb]) {
    await db.user.create({
      data: { clerkUserId: "user_par_lazy", email: "p13@example.com", createdAt: new Date(at(-5000)) },
    });
  }
});
afterAll(async () => {
  await Promise.all([stepwiseDb?.$disconnect(), functionDb?.$disconnect()]);
  await Promise.all([stepwiseDatabase?.drop(), functionDatabase?.drop()]);
});

async function state(db: Database) {
  const users = await db.user.findMany({
    select: {
      clerkUserId: true,
      email: true,
      firstName: true,
      lastName: true,
      createdAt: true,
      clerkUpdatedAt: true,
    },
    orderBy: { clerkUserId: "asc" },
  });
  const tombstones = await db.deletedClerkUser.findMany({ orderBy: { clerkUserId: "asc" } });
  const deliveries = await db.clerkWebhookEvent.findMany({
    select: {
      svixId: true,
      eventType: true,
      clerkUserId: true,
      eventTimestamp: true,
      outcome: true,
      detail: true,
    },
    orderBy: { svixId: "asc" },
  });
  return { users, tombstones, deliveries };
}

describe("clerk_apply_delivery vs the TypeScript rules", () => {
  it.each(sequences())("%s", async (_name, deliveries) => {
    const service = new ClerkSyncService(functionDb);
    for (const delivery of deliveries) {
      const expected = await stepwise(stepwiseDb, delivery);
      const actual = await service.handleDelivery(delivery);
      expect({ outcome: actual.outcome, detail: actual.detail }).toEqual(expected);
    }
    expect(await state(functionDb)).toEqual(await state(stepwiseDb));
  });

  it("compared real effects (the sequences applied, moved and refused things)", async () => {
    const outcomes = new Set((await state(functionDb)).deliveries.map((delivery) => delivery.outcome));
    expect([...outcomes].sort()).toEqual(["applied", "deleted", "ignored", "stale", "user_deleted"]);
    const details = (await state(functionDb)).deliveries.map((delivery) => delivery.detail ?? "");
    expect(details.some((detail) => detail.includes("address taken over from user_par_9"))).toBe(true);
    expect(details.some((detail) => detail.includes("address held by user_par_11"))).toBe(true);
  });
});
