import type { Database } from "../client.js";
import { violatedUniqueConstraint } from "../errors.js";
import type { CalendarBooking, Prisma } from "../generated/prisma/client.js";

export type CalendarBookingRow = CalendarBooking;

export interface PendingBooking {
  userId: string;
  idempotencyKey: string;
  provider: string;
  startAt: Date;
  endAt: Date;
}

/**
 * Claims an idempotency key before the provider is called. Returns the new pending row, or the row an
 * earlier request with the same key already holds (finished or still in flight).
 */
export async function claimBookingKey(
  db: Database,
  booking: PendingBooking,
): Promise<{ claimed: true; row: CalendarBookingRow } | { claimed: false; row: CalendarBookingRow }> {
  try {
    return { claimed: true, row: await db.calendarBooking.create({ data: booking }) };
  } catch (error) {
    if (!violatedUniqueConstraint(error)) throw error;
    const row = await db.calendarBooking.findUniqueOrThrow({
      where: { userId_idempotencyKey: { userId: booking.userId, idempotencyKey: booking.idempotencyKey } },
    });
    return { claimed: false, row };
  }
}

export function completeBooking(
  db: Database,
  id: string,
  providerEventId: string,
  event: Prisma.InputJsonValue,
): Promise<CalendarBookingRow> {
  return db.calendarBooking.update({ where: { id }, data: { providerEventId, event } });
}

/** Frees the key again when the provider call failed, so a retry can book. */
export async function releaseBookingKey(db: Database, id: string): Promise<void> {
  await db.calendarBooking.deleteMany({ where: { id, providerEventId: null } });
}
