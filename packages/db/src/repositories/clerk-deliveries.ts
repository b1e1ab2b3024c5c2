/**
 * A Clerk webhook delivery applied in one statement: the database function clerk_apply_delivery
 * (migration 20261204180000_clerk_apply_delivery) claims the svix-id, takes the per-user lock, checks
 * the tombstone and the ordering, applies the email rule and writes, all in the statement's own
 * transaction. One round trip instead of the seven to nine of the statement-by-statement store
 * (ClerkSyncStore), which stays for writers that compose the rules themselves.
 */
import type { Database } from "../client.js";
import type { SyncedUserData } from "./clerk-sync.js";

/** A profile event may state no address (the function then parks the user on a placeholder). */
type DeliveredProfile = Omit<SyncedUserData, "email"> & { email: string | null };

export type ClerkDeliveryKind =
  | ({ kind: "profile" } & DeliveredProfile)
  | { kind: "deletion"; clerkUserId: string; deletedAt: Date }
  | { kind: "other" };

export interface ClerkDeliveryInput {
  svixId: string;
  eventType: string;
  eventTimestamp: Date | null;
  /** The reserved domain placeholder addresses are made with (clerk-sync/placeholder-email.ts). */
  placeholderDomain: string;
  event: ClerkDeliveryKind;
}

/** What the delivery did, as stored in clerk_webhook_events; null when the svix-id was already handled. */
export interface ClerkDeliveryOutcome {
  outcome: string;
  detail: string | null;
}

export async function applyClerkDelivery(
  db: Database,
  input: ClerkDeliveryInput,
): Promise<ClerkDeliveryOutcome | null> {
  const { event } = input;
  const profile = event.kind === "profile" ? event : null;
  const clerkUserId = event.kind === "other" ? null : event.clerkUserId;
  const rows = await db.$queryRaw<{ outcome: string | null; detail: string | null }[]>`
    SELECT outcome, detail FROM clerk_apply_delivery(
      ${input.svixId}, ${input.eventType}, ${event.kind}, ${clerkUserId}, ${input.eventTimestamp},
      ${profile?.email ?? null}, ${profile?.firstName ?? null}, ${profile?.lastName ?? null},
      ${profile?.createdAt ?? null}, ${profile?.clerkUpdatedAt ?? null},
      ${event.kind === "deletion" ? event.deletedAt : null}, ${input.placeholderDomain})`;
  const row = rows[0];
  return row?.outcome ? { outcome: row.outcome, detail: row.detail } : null;
}
