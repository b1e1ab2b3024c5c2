/**
 * The old calendar data paths over events.list, events.availability and events.create. A signed-in
 * user gets their own calendars; a service names the user in `user_id` (see Context.actingFor).
 */
import { maxRangeDays, uuidSchema } from "@viewings/validators";
import { z } from "zod";
import {
  legacyEventSchema,
  legacyMissingProviderSchema,
  legacySlotSchema,
  legacyStatusField,
  ok,
  successEnvelope,
  toLegacyEvent,
  toLegacyMissing,
  toLegacySlots,
} from "./legacy-shapes.js";
import type { CallOptions } from "./procedure-caller.js";
import { defineRoute } from "./rest-route.js";
import { booleanField, daysFromNow, integerField, providerField, timeZoneField } from "./wire-fields.js";

const tag = "calendar events";
const userIdField = uuidSchema
  .optional()
  .describe("Service callers: the user (id) to act for. From a session it must be the caller's own id.");
const actingFor = (userId: string | undefined): CallOptions => (userId ? { actingFor: { userId } } : {});
const hhmm = (hour: number) => `${String(hour).padStart(2, "0")}:00`;

const listEvents = defineRoute({
  method: "get",
  path: "/calendar/events",
  summary: "Events from now to days_ahead days ahead, from every connected calendar",
  tag,
  auth: "userOrActingService",
  procedures: ["events.list"],
  request: {
    query: z.object({
      days_ahead: integerField(1, maxRangeDays).default(14),
      provider: providerField.optional(),
      time_zone: timeZoneField,
      user_id: userIdField,
    }),
  },
  response: {
    status: 200,
    schema: successEnvelope(z.array(legacyEventSchema), {
      missing_providers: z.array(legacyMissingProviderSchema),
      ...legacyStatusField,
      events: z.array(legacyEventSchema).describe("The same list as data, under the old backend's name"),
      total_events: z.number().int(),
    }),
    description: "Events sorted by start; calendars that could not answer are in missing_providers",
  },
  fieldNames: { to: "days_ahead", from: "days_ahead", timeZone: "time_zone" },
  async handle({ query }, call) {
    const answer = await call(actingFor(query.user_id)).events.list({
      ...daysFromNow(query.days_ahead),
      provider: query.provider,
      timeZone: query.time_zone,
    });
    const events = answer.events.map(toLegacyEvent);
    return ok(events, {
      missing_providers: toLegacyMissing(answer.missingProviders),
      status: "success" as const,
      events,
      total_events: events.length,
    });
  },
});

const availability = defineRoute({
  method: "get",
  path: "/calendar/availability",
  summary:
    "Free slots under the user's booking rules (start_hour/end_hour/include_weekends override their hours), from now to days_ahead ahead",
  tag,
  auth: "userOrActingService",
  procedures: ["events.availability"],
  request: {
    query: z.object({
      days_ahead: integerField(1, maxRangeDays).default(7),
      // Given, these override the user's booking rules' hours (the old contract); left out, the rules apply.
      start_hour: integerField(0, 23).optional(),
      end_hour: integerField(0, 23).optional(),
      duration_minutes: integerField(1, 1440).optional(),
      include_weekends: booleanField.optional(),
      time_zone: timeZoneField,
      user_id: userIdField,
    }),
  },
  response: {
    status: 200,
    schema: successEnvelope(z.array(legacySlotSchema), {
      time_zone: z.string(),
      missing_providers: z.array(legacyMissingProviderSchema),
      ...legacyStatusField,
      available_slots: z
        .array(legacySlotSchema)
        .describe("The same slots as data, under the old backend's name"),
      total_slots: z.number().int(),
    }),
    description: "Free slots in the user's (or the requested) time zone",
  },
  fieldNames: {
    to: "days_ahead",
    from: "days_ahead",
    "workingHours.start": "start_hour",
    "workingHours.end": "end_hour",
    timeZone: "time_zone",
  },
  async handle({ query }, call) {
    const answer = await call(actingFor(query.user_id)).events.availability({
      ...daysFromNow(query.days_ahead),
      durationMinutes: query.duration_minutes,
      ...(query.start_hour === undefined &&
      query.end_hour === undefined &&
      query.include_weekends === undefined
        ? {}
        : {
            workingHours: {
              start: hhmm(query.start_hour ?? 9),
              end: hhmm(query.end_hour ?? 17),
              days: query.include_weekends ? [1, 2, 3, 4, 5, 6, 7] : [1, 2, 3, 4, 5],
            },
          }),
      timeZone: query.time_zone,
    });
    const slots = toLegacySlots(answer.slots, answer.timeZone);
    return ok(slots, {
      time_zone: answer.timeZone,
      missing_providers: toLegacyMissing(answer.missingProviders),
      status: "success" as const,
      available_slots: slots,
      total_slots: slots.length,
    });
  },
});

const attendeeItem = z.union([z.string(), z.object({ email: z.string(), name: z.string().nullish() })]);

/** The old query parameters; the same names are accepted in a JSON body (which wins). */
const newEventFields = z.object({
  subject: z.string().optional(),
  start_time: z.string().optional().describe("ISO 8601 with offset"),
  end_time: z.string().optional().describe("ISO 8601 with offset"),
  attendees: z
    .union([z.string(), z.array(attendeeItem)])
    .optional()
    .describe("Emails, comma-separated or repeated; in a JSON body also [{email, name}]"),
  attendee_email: z.string().optional(),
  attendee_name: z.string().optional(),
  location: z.string().optional(),
  body: z.string().optional().describe("The event's description"),
  provider: providerField.optional(),
  time_zone: timeZoneField,
  user_id: userIdField,
});
type NewEventFields = z.infer<typeof newEventFields>;

function attendeesOf(fields: NewEventFields): Array<{ email: string; name?: string }> {
  const listed =
    typeof fields.attendees === "string" ? fields.attendees.split(",") : (fields.attendees ?? []);
  const attendees = listed
    .map((item) =>
      typeof item === "string" ? { email: item.trim() } : { ...item, name: item.name ?? undefined },
    )
    .filter((attendee) => attendee.email !== "");
  if (fields.attendee_email) attendees.push({ email: fields.attendee_email, name: fields.attendee_name });
  return attendees;
}

const createEvent = defineRoute({
  method: "post",
  path: "/calendar/events",
  summary: "Book an event on the first-connected (or the named) calendar; 409 when the time is taken",
  description:
    "The old query parameters, or the same names in a JSON body. An Idempotency-Key header makes a " +
    "retry return the first booking instead of booking twice.",
  tag,
  auth: "userOrActingService",
  procedures: ["events.create"],
  request: {
    query: newEventFields,
    body: newEventFields,
    headers: { "idempotency-key": "Optional retry key" },
  },
  response: {
    status: 200,
    schema: successEnvelope(legacyEventSchema, {
      ...legacyStatusField,
      event: legacyEventSchema.describe("The same event as data, under the old backend's name"),
    }),
    description: "The booked event",
  },
  fieldNames: {
    title: "subject",
    start: "start_time",
    end: "end_time",
    description: "body",
    timeZone: "time_zone",
    idempotencyKey: "Idempotency-Key",
  },
  async handle({ query, body, headers }, call) {
    const fields: NewEventFields = { ...query, ...body };
    const key = headers["idempotency-key"];
    // Missing values go through as is: the procedure's own schema refuses them and names the field.
    const event = await call(actingFor(fields.user_id)).events.create({
      title: fields.subject as string,
      start: fields.start_time as string,
      end: fields.end_time as string,
      attendees: attendeesOf(fields),
      location: fields.location,
      description: fields.body,
      provider: fields.provider,
      timeZone: fields.time_zone,
      idempotencyKey: typeof key === "string" ? key : undefined,
    });
    // The providers' answers are not read for descriptions; the booking's own is known.
    const booked = { ...toLegacyEvent(event), body: fields.body ?? null };
    return ok(booked, { status: "success" as const, event: booked });
  },
});

export const calendarEventRoutes = [listEvents, availability, createEvent];
