/**
 * The rules for applying one Clerk event, run inside the delivery's transaction (see ClerkSyncStore).
 *
 * Svix delivers at least once and only roughly in order, so every rule must give the same final state
 * whatever order events arrive in:
 * - a profile older than the stored one (Clerk's updated_at) changes nothing;
 * - a deleted user stays deleted (tombstone), whatever arrives later;
 * - an email address belongs to whichever row has the newer profile (see resolveEmail).
 */
import type { ClerkSyncStore } from "@viewings/db";
import type { ClerkEvent, IncomingProfile } from "./clerk-event.js";
import { placeholderEmail } from "./placeholder-email.js";

/** What handling a delivery did; stored in clerk_webhook_events.outcome for operators. */
export type DeliveryOutcome = "applied" | "stale" | "user_deleted" | "deleted" | "ignored";

export interface AppliedEvent {
  outcome: DeliveryOutcome;
  detail: string | null;
}

/** The tombstone's time: the event's own timestamp, or now when Clerk sent none. */
export function deletionTime(event: { timestamp: Date | null }): Date {
  return event.timestamp ?? new Date();
}

export function applyEvent(store: ClerkSyncStore, event: ClerkEvent): Promise<AppliedEvent> {
  switch (event.kind) {
    case "profile":
      return applyProfile(store, event.profile);
    case "deletion":
      return applyDeletion(store, event.clerkUserId, deletionTime(event));
    case "other":
      return Promise.resolve({ outcome: "ignored", detail: `event type ${event.type} is not handled` });
  }
}

async function applyProfile(store: ClerkSyncStore, profile: IncomingProfile): Promise<AppliedEvent> {
  await store.lockClerkUser(profile.clerkUserId);
  const current = await store.findUser(profile.clerkUserId);
  // Only a missing row can be tombstoned: a deletion removes the row and every writer checks the
  // tombstone under this same lock before inserting, so an existing row saves that query.
  if (!current && (await store.isDeleted(profile.clerkUserId))) {
    return { outcome: "user_deleted", detail: "the user was deleted; a late event cannot bring them back" };
  }
  // Equal versions are applied again: harmless, and it lets a redelivery retry the email claim.
  if (current?.clerkUpdatedAt && current.clerkUpdatedAt > profile.clerkUpdatedAt) {
    return {
      outcome: "stale",
      detail: `stored profile ${current.clerkUpdatedAt.toISOString()} is newer than ${profile.clerkUpdatedAt.toISOString()}`,
    };
  }
  const email = await resolveEmail(store, profile, current?.email);
  await store.saveUser({ ...profile, email: email.address });
  const action = current ? "updated" : "created";
  return { outcome: "applied", detail: email.note ? `${action}; ${email.note}` : action };
}

/**
 * Clerk keeps addresses unique at every instant, so when two rows claim one address the claim made by
 * the newer profile is the true one and the other row's address is stale:
 * - the holder's profile is older: it gives the address up for its placeholder;
 * - the holder's profile is newer (or as new): the incoming user takes its placeholder instead.
 * Either loser has a later event of its own (it must have changed address since), which restores its
 * real address when it arrives, so the table converges in any delivery order.
 */
async function resolveEmail(
  store: ClerkSyncStore,
  profile: IncomingProfile,
  currentEmail: string | undefined,
): Promise<{ address: string; note?: string }> {
  const own = placeholderEmail(profile.clerkUserId);
  if (!profile.email) return { address: own, note: "no primary email address; placeholder stored" };
  // The usual update keeps the address: the unique index guarantees nobody else holds it.
  if (profile.email === currentEmail) return { address: profile.email };
  const holder = await store.findUserByEmail(profile.email);
  if (!holder || holder.clerkUserId === profile.clerkUserId) return { address: profile.email };
  const released = await store.releaseStaleEmail(
    holder.clerkUserId,
    profile.email,
    profile.clerkUpdatedAt,
    placeholderEmail(holder.clerkUserId),
  );
  if (released) {
    return { address: profile.email, note: `address taken over from ${holder.clerkUserId} (older profile)` };
  }
  return {
    address: own,
    note: `address held by ${holder.clerkUserId} with a newer profile; placeholder stored until a later event`,
  };
}

async function applyDeletion(
  store: ClerkSyncStore,
  clerkUserId: string,
  deletedAt: Date,
): Promise<AppliedEvent> {
  await store.lockClerkUser(clerkUserId);
  const removed = await store.deleteUser(clerkUserId, deletedAt);
  return { outcome: "deleted", detail: removed ? "user removed" : "no row to remove; tombstone recorded" };
}
