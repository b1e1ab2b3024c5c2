/**
 * Data access for keeping users in step with Clerk (webhooks and lazy creation). The rules — which
 * event wins, who keeps an email — live in the API's Clerk sync service; this file only offers the
 * statements, bound to one transaction so a delivery's record and its effect commit or vanish together.
 */
import type { Database } from "../client.js";
import type { Prisma } from "../generated/prisma/client.js";
import type { UserProfileData, UserRow } from "./users.js";

type Transaction = Prisma.TransactionClient;

/** The row kept per Svix delivery (table clerk_webhook_events). */
export interface WebhookDeliveryRecord {
  svixId: string;
  eventType: string;
  clerkUserId: string | null;
  eventTimestamp: Date | null;
}

/** A user's profile as a Clerk event states it at `clerkUpdatedAt`. */
export interface SyncedUserData {
  clerkUserId: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  createdAt: Date;
  clerkUpdatedAt: Date;
}

/** The statements one Clerk sync transaction may run. */
export interface ClerkSyncStore {
  /**
   * Inserts the delivery's record; false when that svix-id is already recorded. A concurrent
   * transaction holding the same svix-id makes this wait until it commits (false) or rolls back (true),
   * so the primary key is what makes processing at-most-once across server processes.
   */
  claimDelivery(record: WebhookDeliveryRecord): Promise<boolean>;
  recordOutcome(svixId: string, outcome: string, detail: string | null): Promise<void>;
  /** Serialises all sync writes for one Clerk user, across processes, until the transaction ends. */
  lockClerkUser(clerkUserId: string): Promise<void>;
  isDeleted(clerkUserId: string): Promise<boolean>;
  findUser(clerkUserId: string): Promise<UserRow | null>;
  findUserByEmail(email: string): Promise<UserRow | null>;
  /**
   * Gives `holderClerkUserId`'s address `email` up for `placeholder`, only while that row still holds
   * it with profile data older than `claimedAt` (re-checked on the row itself, so a newer profile written
   * concurrently is never overwritten). True when the address was released.
   */
  releaseStaleEmail(
    holderClerkUserId: string,
    email: string,
    claimedAt: Date,
    placeholder: string,
  ): Promise<boolean>;
  saveUser(data: SyncedUserData): Promise<UserRow>;
  /** Records the tombstone and deletes the row (its connections cascade); true when a row existed. */
  deleteUser(clerkUserId: string, deletedAt: Date): Promise<boolean>;
}

// Svix needs an answer within 15 s; a delivery waiting on a concurrent one for the same svix-id or
// user waits at most this long before failing (and being retried by Svix).
const transactionOptions = { maxWait: 5_000, timeout: 10_000 };

function storeFor(tx: Transaction): ClerkSyncStore {
  return {
    async claimDelivery({ svixId, eventType, clerkUserId, eventTimestamp }) {
      // ON CONFLICT DO NOTHING: a duplicate does not abort the transaction, it just inserts nothing.
      // Raw SQL: Prisma's createMany({ skipDuplicates }) measured ~3 ms slower per call.
      const inserted = await tx.$executeRaw`
        INSERT INTO clerk_webhook_events (svix_id, event_type, clerk_user_id, event_timestamp, outcome)
        VALUES (${svixId}, ${eventType}, ${clerkUserId}, ${eventTimestamp}, 'processing')
        ON CONFLICT (svix_id) DO NOTHING`;
      return inserted === 1;
    },
    async recordOutcome(svixId, outcome, detail) {
      await tx.clerkWebhookEvent.update({ where: { svixId }, data: { outcome, detail } });
    },
    lockClerkUser: (clerkUserId) => lockClerkUser(tx, clerkUserId),
    isDeleted: (clerkUserId) => isTombstoned(tx, clerkUserId),
    findUser: (clerkUserId) => tx.user.findUnique({ where: { clerkUserId } }),
    findUserByEmail: (email) => tx.user.findUnique({ where: { email } }),
    async releaseStaleEmail(holderClerkUserId, email, claimedAt, placeholder) {
      const { count } = await tx.user.updateMany({
        where: {
          clerkUserId: holderClerkUserId,
          email,
          OR: [{ clerkUpdatedAt: null }, { clerkUpdatedAt: { lt: claimedAt } }],
        },
        data: { email: placeholder },
      });
      return count === 1;
    },
    saveUser(data) {
      const { clerkUserId, ...profile } = data;
      return tx.user.upsert({ where: { clerkUserId }, create: data, update: profile });
    },
    async deleteUser(clerkUserId, deletedAt) {
      // The first deletion's timestamp is kept when Clerk's deletion is delivered again.
      await tx.$executeRaw`
        INSERT INTO deleted_clerk_users (clerk_user_id, deleted_at) VALUES (${clerkUserId}, ${deletedAt})
        ON CONFLICT (clerk_user_id) DO NOTHING`;
      const { count } = await tx.user.deleteMany({ where: { clerkUserId } });
      return count > 0;
    },
  };
}

async function lockClerkUser(tx: Transaction, clerkUserId: string): Promise<void> {
  // A transaction-scoped advisory lock, released at commit/rollback. It also covers users that have no
  // row yet, which a row lock (SELECT ... FOR UPDATE) cannot.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`clerk-user:${clerkUserId}`}, 0))`;
}

async function isTombstoned(db: Transaction | Database, clerkUserId: string): Promise<boolean> {
  return (await db.deletedClerkUser.count({ where: { clerkUserId } })) > 0;
}

/** Runs `work` in one transaction: everything it does commits together or not at all. */
export function inClerkSyncTransaction<T>(
  db: Database,
  work: (store: ClerkSyncStore) => Promise<T>,
): Promise<T> {
  return db.$transaction((tx) => work(storeFor(tx)), transactionOptions);
}

/** True when Clerk reported this user deleted. */
export function isClerkUserDeleted(db: Database, clerkUserId: string): Promise<boolean> {
  return isTombstoned(db, clerkUserId);
}

/**
 * Inserts or updates a user from a profile outside the webhook (lazy creation, service calls), unless
 * Clerk deleted that user: null then. Takes the same per-user lock as the webhook, so a deletion that
 * commits concurrently is either seen here or deletes the row written here.
 */
export function upsertUserUnlessDeleted(db: Database, data: UserProfileData): Promise<UserRow | null> {
  const { clerkUserId, createdAt, ...profile } = data;
  return db.$transaction(async (tx) => {
    await lockClerkUser(tx, clerkUserId);
    if (await isTombstoned(tx, clerkUserId)) return null;
    return tx.user.upsert({
      where: { clerkUserId },
      create: { clerkUserId, ...profile, ...(createdAt ? { createdAt } : {}) },
      update: { ...profile, ...(createdAt ? { createdAt } : {}) },
    });
  }, transactionOptions);
}

/** Deletes delivery records received before `receivedBefore`; returns how many. */
export async function pruneClerkWebhookEvents(db: Database, receivedBefore: Date): Promise<number> {
  const { count } = await db.clerkWebhookEvent.deleteMany({ where: { receivedAt: { lt: receivedBefore } } });
  return count;
}
