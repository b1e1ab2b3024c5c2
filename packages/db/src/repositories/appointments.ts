import type { Database } from "../client.js";
import { violatedUniqueConstraint } from "../errors.js";
import type { Appointment } from "../generated/prisma/client.js";

export type AppointmentRow = Appointment;

export interface NewAppointment {
  agentId: string;
  vapiCallId: string | null;
  toolCallId: string;
  propertyAddress: string;
  startAt: Date;
  endAt: Date;
  attendeeName: string;
  attendeeEmail: string | null;
  attendeePhone: string | null;
}

/**
 * Claims a tool call id before anything is booked: VAPI retries a tool call with the same id, and the
 * unique constraint makes the second attempt find the first instead of booking again. The id is
 * unique per agent: the same id from another landlord's assistant is a new call of that agent, and
 * never finds this one's row.
 */
export async function claimAppointment(
  db: Database,
  data: NewAppointment,
): Promise<{ claimed: boolean; row: AppointmentRow }> {
  try {
    return { claimed: true, row: await db.appointment.create({ data: { ...data, status: "pending" } }) };
  } catch (error) {
    if (!violatedUniqueConstraint(error)) throw error;
    return {
      claimed: false,
      row: await db.appointment.findUniqueOrThrow({
        where: { agentId_toolCallId: { agentId: data.agentId, toolCallId: data.toolCallId } },
      }),
    };
  }
}

/** The viewing is booked: it points at its ledger row (bookings) and names the provider's event. */
export function markAppointmentBooked(
  db: Database,
  id: string,
  booking: { provider: string; providerEventId: string; bookingId: string },
): Promise<AppointmentRow> {
  return db.appointment.update({ where: { id }, data: { status: "booked", ...booking } });
}

/** Forgets a claim whose booking did not happen, so the caller can try again. */
export async function releaseAppointment(db: Database, id: string): Promise<void> {
  await db.appointment.deleteMany({ where: { id, status: "pending" } });
}

export function markAppointmentCancelled(db: Database, id: string): Promise<AppointmentRow> {
  return db.appointment.update({ where: { id }, data: { status: "cancelled" } });
}

/**
 * A booked appointment of this agent: by its id (given only to the call that booked it), or by its
 * start time among those booked on the given VAPI calls.
 */
export function findBookedAppointment(
  db: Database,
  agentId: string,
  match: { id: string } | { startAt: Date; bookedOnCalls: string[] },
): Promise<AppointmentRow | null> {
  return db.appointment.findFirst({
    where: {
      agentId,
      status: "booked",
      ...("id" in match
        ? { id: match.id }
        : { startAt: match.startAt, vapiCallId: { in: match.bookedOnCalls } }),
    },
    orderBy: { createdAt: "desc" },
  });
}

export function listAppointmentsOfUser(
  db: Database,
  userId: string,
  filter: { from?: Date; status?: string; limit: number },
): Promise<AppointmentRow[]> {
  return db.appointment.findMany({
    where: {
      agent: { userId },
      ...(filter.from ? { startAt: { gte: filter.from } } : {}),
      ...(filter.status ? { status: filter.status } : {}),
    },
    orderBy: { startAt: "asc" },
    take: filter.limit,
  });
}
