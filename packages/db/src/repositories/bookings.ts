import type { Database } from "../client.js";
import { violatedExclusionConstraint, violatedUniqueConstraint } from "../errors.js";
import type { Booking, Prisma } from "../generated/prisma/client.js";

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

export type BookingClaim =
  | { outcome: "claimed"; row: BookingRow }
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

/** Marks the booking behind a provider event cancelled (the event was deleted at the provider). */
export async function cancelBookingOfEvent(
  db: Database,
  userId: string,
  provider: string,
  providerEventId: string,
): Promise<void> {
  await db.booking.updateMany({
    where: { userId, provider, providerEventId, status: "confirmed" },
    data: { status: "cancelled" },
  });
}

/** The calendar a booked event was written into (null: the primary one, or not booked here). */
export async function calendarOfEvent(
  db: Database,
  userId: string,
  provider: string,
  providerEventId: string,
): Promise<string | null> {
  const row = await db.booking.findFirst({
    where: { userId, provider, providerEventId },
    select: { calendarId: true },
  });
  return row?.calendarId ?? null;
}

/**
 * The owner's live bookings overlapping [from, to), from any server process. The query repeats the
 * exclusion constraint's expression and predicate so it is answered from that GiST index.
 */
export function liveBookingsBetween(
  db: Database,
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
