import { createHash } from "node:crypto";
import {
  applyClerkDelivery,
  type ClerkDeliveryKind,
  type Database,
  inClerkSyncTransaction,
  pruneClerkWebhookEvents,
} from "@viewings/db";
import type { ClerkProfileUpdateInput, ClerkSyncResult } from "@viewings/validators";
import { DomainError } from "../../errors.js";
import { toUserDto } from "../users/user-dto.js";
import { type AppliedEvent, applyEvent, type DeliveryOutcome, deletionTime } from "./apply-event.js";
import { type ClerkEvent, clerkUserIdOf, parseClerkEvent } from "./clerk-event.js";
import { placeholderDomain } from "./placeholder-email.js";

/** One verified Svix delivery: its svix-id (stable across retries) and the JSON body. */
export interface ClerkDelivery {
  svixId: string;
  body: unknown;
}

export interface DeliveryResult {
  /**
   * "duplicate": this svix-id was already handled, nothing was done now. "rejected": a signed body
   * that can never be applied (not a Clerk event, impossible data); recorded with the reason and
   * acknowledged, because Svix would retry any other answer for days to the same end.
   */
  outcome: DeliveryOutcome | "duplicate" | "rejected";
  detail: string | null;
  eventType: string;
  clerkUserId: string | null;
}

const dayMs = 24 * 60 * 60 * 1000;

/**
 * The key a delivery is recorded under: its svix-id, or a digest of one too long for the column
 * (Svix keeps the id across retries, so the digest deduplicates them just the same).
 */
function deliveryKey(svixId: string): string {
  return svixId.length <= 255 ? svixId : `sha256:${createHash("sha256").update(svixId).digest("hex")}`;
}

/** The event type as the record can hold it, for a body that may not even be an event. */
function recordableType(body: unknown): string {
  const type = (body as { type?: unknown } | null)?.type;
  return typeof type === "string" ? type.replaceAll("\u0000", "").slice(0, 100) || "unknown" : "unknown";
}

function deliveryKindOf(event: ClerkEvent): ClerkDeliveryKind {
  if (event.kind === "profile") return { kind: "profile", ...event.profile };
  if (event.kind === "deletion")
    return { kind: "deletion", clerkUserId: event.clerkUserId, deletedAt: deletionTime(event) };
  return { kind: "other" };
}

/** Keeps the users table in step with Clerk's webhook events. Knows nothing of HTTP or Svix signatures. */
export class ClerkSyncService {
  constructor(private readonly db: Database) {}

  /**
   * Applies a delivery at most once. Its record in clerk_webhook_events is written in the same
   * transaction as its effect: a failure leaves neither, so Svix's retry starts clean.
   * A body that is not an applicable Clerk event is recorded as rejected, with nothing else written.
   */
  async handleDelivery(delivery: ClerkDelivery): Promise<DeliveryResult> {
    let event: ClerkEvent;
    try {
      event = parseClerkEvent(delivery.body);
    } catch (error) {
      if (error instanceof DomainError && error.kind === "bad_request")
        return this.reject(delivery, error.message);
      throw error;
    }
    return this.apply(deliveryKey(delivery.svixId), event);
  }

  private async apply(svixId: string, event: ClerkEvent): Promise<DeliveryResult> {
    const clerkUserId = clerkUserIdOf(event);
    // One statement (the database function follows applyEvent's rules), so one round trip per delivery.
    const applied = (await applyClerkDelivery(this.db, {
      svixId,
      eventType: event.type,
      eventTimestamp: event.timestamp,
      placeholderDomain,
      event: deliveryKindOf(event),
    })) as AppliedEvent | null;
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

  /** Records a signed delivery that can never be applied (e.g. its body is not JSON) as rejected. */
  async reject(delivery: ClerkDelivery, reason: string): Promise<DeliveryResult> {
    const svixId = deliveryKey(delivery.svixId);
    const eventType = recordableType(delivery.body);
    const recorded = await inClerkSyncTransaction(this.db, async (store) => {
      const claimed = await store.claimDelivery({
        svixId,
        eventType,
        clerkUserId: null,
        eventTimestamp: null,
      });
      if (claimed) await store.recordOutcome(svixId, "rejected", reason.replaceAll("\u0000", ""));
      return claimed;
    });
    return recorded
      ? { outcome: "rejected", detail: reason, eventType, clerkUserId: null }
      : { outcome: "duplicate", detail: "svix-id already handled", eventType, clerkUserId: null };
  }

  /** Deletes delivery records older than `retentionDays`; returns how many. */
  pruneDeliveryRecords(retentionDays: number, now = new Date()): Promise<number> {
    return pruneClerkWebhookEvents(this.db, new Date(now.getTime() - retentionDays * dayMs));
  }
}
