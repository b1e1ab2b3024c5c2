import type { Database } from "../client.js";
import { violatedUniqueConstraint } from "../errors.js";
import type { Appointment, Booking, Prisma } from "../generated/prisma/client.js";

/** What the ledger says of an appointment's booking: the one place status, provider and event live. */
export type AppointmentBooking = Pick<Booking, "id" | "status" | "provider" | "providerEventId">;
export type AppointmentRow = Appointment & { booking: AppointmentBooking | null };
export type AppointmentStatus = "pending" | "booked" | "cancelled";

const withBooking = {
  booking: { select: { id: true, status: true, provider: true, providerEventId: true } },
} as const;

/**
 * An appointment's status, read from its booking: none yet (in flight, or outcome unknown) is
 * pending; a confirmed booking is booked; a cancelled one cancelled.
 */
export function appointmentStatus(row: AppointmentRow): AppointmentStatus {
  if (row.booking?.status === "confirmed") return "booked";
  if (row.booking?.status === "cancelled") return "cancelled";
  return "pending";
}

/** The same rule as appointmentStatus, as a filter. */
function statusFilter(status: AppointmentStatus): Prisma.AppointmentWhereInput {
  if (status === "booked") return { booking: { status: "confirmed" } };
  if (status === "cancelled") return { booking: { status: "cancelled" } };
  return { OR: [{ bookingId: null }, { booking: { status: { notIn: ["confirmed", "cancelled"] } } }] };
}

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
    return { claimed: true, row: await db.appointment.create({ data, include: withBooking }) };
  } catch (error) {
    if (!violatedUniqueConstraint(error)) throw error;
    return {
      claimed: false,
      row: await db.appointment.findUniqueOrThrow({
        where: { agentId_toolCallId: { agentId: data.agentId, toolCallId: data.toolCallId } },
        include: withBooking,
      }),
    };
  }
}

/** The viewing is booked: it points at its ledger row (bookings), which names the provider's event. */
export async function markAppointmentBooked(db: Database, id: string, bookingId: string): Promise<void> {
  await db.appointment.update({ where: { id }, data: { bookingId } });
}

/** Forgets a claim whose booking did not happen, so the caller can try again. */
export async function releaseAppointment(db: Database, id: string): Promise<void> {
  await db.appointment.deleteMany({ where: { id, bookingId: null } });
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
      ...statusFilter("booked"),
      ...("id" in match
        ? { id: match.id }
        : { startAt: match.startAt, vapiCallId: { in: match.bookedOnCalls } }),
    },
    orderBy: { createdAt: "desc" },
    include: withBooking,
  });
}

export function listAppointmentsOfUser(
  db: Database,
  userId: string,
  filter: { from?: Date; status?: AppointmentStatus; limit: number },
): Promise<AppointmentRow[]> {
  return db.appointment.findMany({
    where: {
      agent: { userId },
      ...(filter.from ? { startAt: { gte: filter.from } } : {}),
      ...(filter.status ? statusFilter(filter.status) : {}),
    },
    orderBy: { startAt: "asc" },
    take: filter.limit,
    include: withBooking,
  });
}
