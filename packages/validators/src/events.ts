import { z } from "zod";
import { calendarProviderSchema } from "./calendar.js";
import { emailSchema, isoDateTimeSchema, timeZoneSchema, uuidSchema } from "./common.js";

/** The longest range one listing or availability query may span. */
export const maxRangeDays = 62;

export const attendeeResponseSchema = z.enum(["accepted", "declined", "tentative", "none", "organizer"]);

/** One event from either provider, in one shape. */
export const calendarEventSchema = z.object({
  /** The provider's event id. */
  id: z.string(),
  provider: calendarProviderSchema,
  title: z.string(),
  /** ISO 8601 with the offset of the requested (or the user's) time zone. */
  start: isoDateTimeSchema,
  end: isoDateTimeSchema,
  allDay: z.boolean(),
  location: z.string().nullable(),
  attendees: z.array(
    z.object({ name: z.string().nullable(), email: z.string().nullable(), response: attendeeResponseSchema }),
  ),
  isOnlineMeeting: z.boolean(),
  joinUrl: z.string().nullable(),
  webLink: z.string().nullable(),
});
export type CalendarEvent = z.infer<typeof calendarEventSchema>;

/** A provider whose data is missing from an answer, and why; the others' data is still there. */
export const missingProviderSchema = z.object({
  provider: calendarProviderSchema,
  reason: z.enum(["needs_reconnect", "throttled", "timeout", "unavailable"]),
  message: z.string(),
});
export type MissingProvider = z.infer<typeof missingProviderSchema>;

const range = z.object({ from: isoDateTimeSchema, to: isoDateTimeSchema });

function withinRange(value: { from: string; to: string }, ctx: z.RefinementCtx) {
  const span = Date.parse(value.to) - Date.parse(value.from);
  if (span <= 0) ctx.addIssue({ code: "custom", path: ["to"], message: "must be after from" });
  if (span > maxRangeDays * 86_400_000) {
    ctx.addIssue({ code: "custom", path: ["to"], message: `range must not exceed ${maxRangeDays} days` });
  }
}

export const listEventsInput = range
  .extend({ provider: calendarProviderSchema.optional(), timeZone: timeZoneSchema.optional() })
  .superRefine(withinRange);
export type ListEventsInput = z.infer<typeof listEventsInput>;

export const listEventsOutput = z.object({
  events: z.array(calendarEventSchema),
  missingProviders: z.array(missingProviderSchema),
});
export type ListEventsOutput = z.infer<typeof listEventsOutput>;

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:mm (24-hour)");

/** Parts left out take the server's default (Monday to Friday, 09:00-17:00; packages/api/src/time). */
export const workingHoursSchema = z
  .object({
    start: hhmm.optional(),
    end: hhmm.optional(),
    /** ISO weekdays: 1 = Monday ... 7 = Sunday. */
    days: z.array(z.number().int().min(1).max(7)).min(1).optional(),
  })
  .refine((hours) => !hours.start || !hours.end || hours.end > hours.start, {
    path: ["end"],
    message: "must be after start",
  });
export type WorkingHoursInput = z.infer<typeof workingHoursSchema>;

export const availabilityInput = range
  .extend({
    /** Whose booking rules apply: this agent's (over its owner's); without it, the user's own. */
    agentId: uuidSchema.optional(),
    /** Default: the rules' viewing length. */
    durationMinutes: z.number().int().min(5).max(480).optional(),
    /** An explicit override of the rules' weekly hours (and date overrides), read in `timeZone`. */
    workingHours: workingHoursSchema.optional(),
    timeZone: timeZoneSchema.optional(),
    /** An explicit override of the rules' buffers, before and after. */
    bufferMinutes: z.number().int().min(0).max(240).optional(),
  })
  .superRefine(withinRange);
export type AvailabilityInput = z.infer<typeof availabilityInput>;

export const availabilityOutput = z.object({
  timeZone: z.string(),
  slots: z.array(z.object({ start: isoDateTimeSchema, end: isoDateTimeSchema })),
  missingProviders: z.array(missingProviderSchema),
});
export type AvailabilityOutput = z.infer<typeof availabilityOutput>;

export const createEventInput = z
  .object({
    title: z.string().trim().min(1).max(255),
    start: isoDateTimeSchema,
    end: isoDateTimeSchema,
    /** The zone the event is written in at the provider; default the user's. */
    timeZone: timeZoneSchema.optional(),
    attendees: z
      .array(z.object({ email: emailSchema, name: z.string().trim().max(200).optional() }))
      .max(50)
      .default([]),
    location: z.string().trim().max(500).optional(),
    description: z.string().max(8000).optional(),
    provider: calendarProviderSchema.optional(),
    /** Book for this agent: its booking rules must allow the time, and its destination calendar is used. */
    agentId: uuidSchema.optional(),
    /** Retrying with the same key returns the first booking instead of booking again. */
    idempotencyKey: z.string().trim().min(1).max(255).optional(),
  })
  .refine((event) => Date.parse(event.end) > Date.parse(event.start), {
    path: ["end"],
    message: "must be after start",
  })
  .refine((event) => Date.parse(event.end) - Date.parse(event.start) <= 24 * 3_600_000, {
    path: ["end"],
    message: "an event may last at most 24 hours",
  });
export type CreateEventInput = z.infer<typeof createEventInput>;
