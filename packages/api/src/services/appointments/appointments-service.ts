import { type Database, listAppointmentsOfUser } from "@viewings/db";
import type { Appointment, ListAppointmentsInput } from "@viewings/validators";
import { toAppointmentDto } from "./appointment-dto.js";

/** Viewings the owner's voice agents booked, for the frontend. */
export class AppointmentsService {
  constructor(private readonly db: Database) {}

  async list(userId: string, input: ListAppointmentsInput): Promise<Appointment[]> {
    const rows = await listAppointmentsOfUser(this.db, userId, {
      ...(input.from ? { from: new Date(input.from) } : {}),
      ...(input.status ? { status: input.status } : {}),
      limit: input.limit,
    });
    return rows.map(toAppointmentDto);
  }
}
