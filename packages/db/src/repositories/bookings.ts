import type { Database } from "../client.js";
import { violatedExclusionConstraint, violatedUniqueConstraint } from "../errors.js";
import type { Booking, Prisma } from "../generated/prisma/client.js";
import type { DatabaseTransaction } from "./calendar-connections.js";

export type BookingRow = Booking;
export type BookingSource = "api" | "rest" | "voice";

export interface NewBooking {
  userId: string;
  source: BookingSource;
  idempotencyKey: string | null;
  provider: string;
  startAt: Date;
  endAt: Date;
  /** The agent whose booking rules it was made under. */
  agentId?: string | null;
  /** The provider calendar it is written into; null for the account's primary one. */
  calendarId?: string | null;
}

/** A live booking as availability and the booking rules read it. */
export interface LiveBooking {
  id: string;
  agentId: string | null;
  startAt: Date;
  endAt: Date;
}

/**
 * A rule the owner's other live bookings must allow (buffers, a daily cap), checked and claimed under
 * one lock per owner, so two claims racing for the last place cannot both pass.
 */
export interface BookingGuard<Reason> {
  /** The bookings the rule looks at: those overlapping this window. */
  window: { from: Date; to: Date };
  /** Why the live bookings in the window refuse this claim, or null. */
  refuse: (live: LiveBooking[]) => Reason | null;
}

export type BookingClaim<Reason = never> =
  | { outcome: "claimed"; row: BookingRow }
  /** The guard refused the claim; nothing was written. */
  | { outcome: "refused"; reason: Reason }
  /** An earlier request with the same key holds it (finished or still in flight). */
  | { outcome: "replay"; row: BookingRow }
  /** Another live booking of the owner overlaps (bookings_no_overlap). */
  | { outcome: "overlap" };

/**
 * Claims the time (a pending row) before any provider is called. The database decides, across
 * processes: an overlapping live booking violates the exclusion constraint, a repeated key the unique
 * index. A key whose earlier booking failed or was cancelled is claimed afresh (a new row, so a new
 * provider-side idempotency key).
 */
export async function claimBooking(db: Database, booking: NewBooking): Promise<BookingClaim> {
  for (let attempt = 0; ; attempt++) {
    try {
      return {
        outcome: "claimed",
        row: await db.booking.create({ data: { ...booking, status: "pending" } }),
      };
    } catch (error) {
      if (violatedExclusionConstraint(error)) return { outcome: "overlap" };
      if (!violatedUniqueConstraint(error) || booking.idempotencyKey === null) throw error;
      const row = await db.booking.findUnique({
        where: { userId_idempotencyKey: { userId: booking.userId, idempotencyKey: booking.idempotencyKey } },
      });
      if (row && (row.status === "pending" || row.status === "confirmed")) return { outcome: "replay", row };
      if (attempt > 0) throw error;
      if (row) await db.booking.deleteMany({ where: { id: row.id, status: row.status } });
    }
  }
}

/**
 * claimBooking with a guard: in one transaction holding the owner's advisory lock, a live booking
 * under the same key is replayed, the guard reads the owner's live bookings, and only then is the row
 * inserted. Every guarded claim of an owner takes the lock, so their checks see each other's rows.
 */
export async function claimGuardedBooking<Reason>(
  db: Database,
  booking: NewBooking,
  guard: BookingGuard<Reason>,
): Promise<BookingClaim<Reason>> {
  try {
    return await db.$transaction(async (tx): Promise<BookingClaim<Reason>> => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${booking.userId}, 0))`;
      if (booking.idempotencyKey !== null) {
        const earlier = await tx.booking.findUnique({
          where: {
            userId_idempotencyKey: { userId: booking.userId, idempotencyKey: booking.idempotencyKey },
          },
        });
        if (earlier?.status === "pending" || earlier?.status === "confirmed")
          return { outcome: "replay", row: earlier };
        if (earlier) await tx.booking.deleteMany({ where: { id: earlier.id, status: earlier.status } });
      }
      const reason = guard.refuse(
        await liveBookingsBetween(tx, booking.userId, guard.window.from, guard.window.to),
      );
      if (reason !== null) return { outcome: "refused", reason };
      return {
        outcome: "claimed",
        row: await tx.booking.create({ data: { ...booking, status: "pending" } }),
      };
    });
  } catch (error) {
    // An unguarded claim of the owner (which takes no lock) got there first.
    if (violatedExclusionConstraint(error)) return { outcome: "overlap" };
    if (violatedUniqueConstraint(error) && booking.idempotencyKey !== null) return claimBooking(db, booking);
    throw error;
  }
}

export function confirmBooking(
  db: Database,
  id: string,
  providerEventId: string,
  event: Prisma.InputJsonValue,
): Promise<BookingRow> {
  return db.booking.update({ where: { id }, data: { status: "confirmed", providerEventId, event } });
}

/** The provider holds no event for this claim: its time is free again, its key may be retried. */
export async function failBooking(db: Database, id: string): Promise<void> {
  await db.booking.updateMany({ where: { id, status: "pending" }, data: { status: "failed" } });
}

/** One of the owner's bookings, with what cancelling it needs (provider, calendar, event). */
export function findBookingOfUser(db: Database, userId: string, id: string): Promise<BookingRow | null> {
  return db.booking.findFirst({ where: { id, userId } });
}

/** The booking's event was deleted at the provider: its time is free again. */
export async function cancelBooking(db: Database, id: string): Promise<void> {
  await db.booking.updateMany({ where: { id, status: "confirmed" }, data: { status: "cancelled" } });
}

/**
 * The owner's live bookings overlapping [from, to), from any server process. The query repeats the
 * exclusion constraint's expression and predicate so it is answered from that GiST index.
 */
export function liveBookingsBetween(
  db: Database | DatabaseTransaction,
  userId: string,
  from: Date,
  to: Date,
): Promise<LiveBooking[]> {
  return db.$queryRaw<LiveBooking[]>`
    SELECT id, agent_id AS "agentId", start_at AS "startAt", end_at AS "endAt" FROM bookings
    WHERE user_id = ${userId}::uuid
      AND status IN ('pending', 'confirmed')
      AND tstzrange(start_at, end_at) && tstzrange(${from}::timestamptz, ${to}::timestamptz)
    ORDER BY start_at`;
}
