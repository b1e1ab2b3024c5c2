import {
  applyClerkDelivery,
  type ClerkDeliveryKind,
  type Database,
  pruneClerkWebhookEvents,
} from "@viewings/db";
import { type AppliedEvent, type DeliveryOutcome, deletionTime } from "./apply-event.js";
import { type ClerkEvent, clerkUserIdOf, parseClerkEvent } from "./clerk-event.js";
import { placeholderDomain } from "./placeholder-email.js";

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
   * Throws a bad_request DomainError (before touching the database) when the body is not a Clerk event.
   */
  async handleDelivery(delivery: ClerkDelivery): Promise<DeliveryResult> {
    const event = parseClerkEvent(delivery.body);
    const clerkUserId = clerkUserIdOf(event);
    // One statement (the database function follows applyEvent's rules), so one round trip per delivery.
    const applied = (await applyClerkDelivery(this.db, {
      svixId: delivery.svixId,
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

  /** Deletes delivery records older than `retentionDays`; returns how many. */
  pruneDeliveryRecords(retentionDays: number, now = new Date()): Promise<number> {
    return pruneClerkWebhookEvents(this.db, new Date(now.getTime() - retentionDays * dayMs));
  }
}
