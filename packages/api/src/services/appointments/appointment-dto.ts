import type { AppointmentRow } from "@viewings/db";
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
    status: row.status as Appointment["status"],
    provider: row.provider,
    createdAt: row.createdAt.toISOString(),
  };
}
