import { type Database, inClerkSyncTransaction, pruneClerkWebhookEvents } from "@viewings/db";
import type { ClerkProfileUpdateInput, ClerkSyncResult } from "@viewings/validators";
import { toUserDto } from "../users/user-dto.js";
import { type AppliedEvent, applyEvent, type DeliveryOutcome } from "./apply-event.js";
import { clerkUserIdOf, parseClerkEvent } from "./clerk-event.js";

/** One verified Svix delivery: its svix-id (stable across retries) and the JSON body. */
export interface ClerkDelivery {
  svixId: string;
  body: unknown;
}

export interface DeliveryResult {
  /** "duplicate": this svix-id was already handled, nothing was done now. */
  outcome: DeliveryOutcome | "duplicate";
  detail: string | null;
  eventType: string;
  clerkUserId: string | null;
}

const dayMs = 24 * 60 * 60 * 1000;

/** Keeps the users table in step with Clerk's webhook events. Knows nothing of HTTP or Svix signatures. */
export class ClerkSyncService {
  constructor(private readonly db: Database) {}

  /**
   * Applies a delivery at most once. Its record in clerk_webhook_events is written in the same
   * transaction as its effect: a failure leaves neither, so Svix's retry starts clean.
   * Throws a bad_request DomainError (before touching the database) when the body is not a Clerk event.
   */
  async handleDelivery(delivery: ClerkDelivery): Promise<DeliveryResult> {
    const event = parseClerkEvent(delivery.body);
    const clerkUserId = clerkUserIdOf(event);
    const applied = await inClerkSyncTransaction(this.db, async (store): Promise<AppliedEvent | null> => {
      const claimed = await store.claimDelivery({
        svixId: delivery.svixId,
        eventType: event.type,
        clerkUserId,
        eventTimestamp: event.timestamp,
      });
      if (!claimed) return null;
      const result = await applyEvent(store, event);
      await store.recordOutcome(delivery.svixId, result.outcome, result.detail);
      return result;
    });
    return {
      ...(applied ?? { outcome: "duplicate", detail: "svix-id already handled" }),
      eventType: event.type,
      clerkUserId,
    };
  }

  /**
   * A service's statement of a user's profile (the existing frontend forwards Clerk's user.updated
   * this way), applied by the webhook's own rules: an older profile changes nothing, a deleted user
   * stays deleted. There is no svix-id, so nothing is recorded.
   *
   * One rule is stricter: a statement of the stored version changes nothing either. The frontend
   * forwards the first of the user's addresses, not necessarily the primary one the webhook stores, so
   * when both deliver the same version the webhook's reading wins instead of the last to arrive.
   */
  async applyProfileUpdate(update: ClerkProfileUpdateInput): Promise<ClerkSyncResult> {
    const clerkUpdatedAt = new Date(update.updatedAt);
    return inClerkSyncTransaction(this.db, async (store) => {
      await store.lockClerkUser(update.clerkUserId);
      const current = await store.findUser(update.clerkUserId);
      if (current?.clerkUpdatedAt && current.clerkUpdatedAt >= clerkUpdatedAt) {
        const stored = current.clerkUpdatedAt.toISOString();
        return {
          outcome: "stale",
          detail: `stored profile ${stored} is as new or newer`,
          user: toUserDto(current),
        };
      }
      const applied = await applyEvent(store, {
        kind: "profile",
        type: "user.updated",
        timestamp: null,
        profile: {
          clerkUserId: update.clerkUserId,
          email: update.email ?? null,
          firstName: update.firstName ?? null,
          lastName: update.lastName ?? null,
          // The statement carries no creation time: an existing row keeps its own.
          createdAt: current?.createdAt ?? clerkUpdatedAt,
          clerkUpdatedAt,
        },
      });
      const after = await store.findUser(update.clerkUserId);
      return { ...applied, user: after ? toUserDto(after) : null };
    });
  }

  /** A service's report that Clerk deleted a user: the webhook's deletion (row removed, tombstone kept). */
  async applyDeletion(clerkUserId: string, deletedAt = new Date()): Promise<ClerkSyncResult> {
    const applied = await inClerkSyncTransaction(this.db, (store) =>
      applyEvent(store, { kind: "deletion", type: "user.deleted", timestamp: deletedAt, clerkUserId }),
    );
    return { ...applied, user: null };
  }

  /** Deletes delivery records older than `retentionDays`; returns how many. */
  pruneDeliveryRecords(retentionDays: number, now = new Date()): Promise<number> {
    return pruneClerkWebhookEvents(this.db, new Date(now.getTime() - retentionDays * dayMs));
  }
}
