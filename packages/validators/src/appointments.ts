import { z } from "zod";
import { isoDateTimeSchema, uuidSchema } from "./common.js";

export const appointmentStatusSchema = z.enum(["pending", "booked", "cancelled"]);

/** A viewing the voice agent booked. */
export const appointmentSchema = z.object({
  id: uuidSchema,
  agentId: uuidSchema,
  vapiCallId: z.string().nullable(),
  propertyAddress: z.string(),
  start: isoDateTimeSchema,
  end: isoDateTimeSchema,
  attendeeName: z.string(),
  attendeeEmail: z.string().nullable(),
  attendeePhone: z.string().nullable(),
  status: appointmentStatusSchema,
  provider: z.string().nullable(),
  createdAt: isoDateTimeSchema,
});
export type Appointment = z.infer<typeof appointmentSchema>;

export const listAppointmentsInput = z
  .object({
    /** Only appointments starting at or after this instant. */
    from: isoDateTimeSchema.optional(),
    status: appointmentStatusSchema.optional(),
    limit: z.number().int().min(1).max(500).default(100),
  })
  .default({ limit: 100 });
export type ListAppointmentsInput = z.infer<typeof listAppointmentsInput>;
