import { type AppointmentRow, appointmentStatus } from "@viewings/db";
import type { Appointment } from "@viewings/validators";

export function toAppointmentDto(row: AppointmentRow): Appointment {
  return {
    id: row.id,
    agentId: row.agentId,
    vapiCallId: row.vapiCallId,
    propertyAddress: row.propertyAddress,
    start: row.startAt.toISOString(),
    end: row.endAt.toISOString(),
    attendeeName: row.attendeeName,
    attendeeEmail: row.attendeeEmail,
    attendeePhone: row.attendeePhone,
    status: appointmentStatus(row),
    provider: row.booking?.provider ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}
