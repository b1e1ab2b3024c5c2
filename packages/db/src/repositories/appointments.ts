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
 * unique constraint makes the second attempt find the first instead of booking again.
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
      row: await db.appointment.findUniqueOrThrow({ where: { toolCallId: data.toolCallId } }),
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

/** A booked appointment of this agent, by id or by its start time. */
export function findBookedAppointment(
  db: Database,
  agentId: string,
  match: { id?: string; startAt?: Date },
): Promise<AppointmentRow | null> {
  return db.appointment.findFirst({
    where: {
      agentId,
      status: "booked",
      ...(match.id ? { id: match.id } : {}),
      ...(match.startAt ? { startAt: match.startAt } : {}),
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
