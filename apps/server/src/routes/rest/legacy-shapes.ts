/**
 * The old FastAPI backend's response shapes (snake_case), built from the procedures' outputs. The
 * schemas type the converters and describe the responses in the OpenAPI document.
 */
import type { CalendarEvent, CalendarProviderStatus, MissingProvider, User } from "@viewings/validators";
import { z } from "zod";

const providerSchema = z.enum(["microsoft", "google"]);

export const legacyUserSchema = z.object({
  id: z.uuid(),
  clerk_user_id: z.string(),
  email: z.string(),
  first_name: z.string().nullable(),
  last_name: z.string().nullable(),
  created_at: z.string().describe("ISO 8601 with offset"),
  updated_at: z.string().describe("ISO 8601 with offset"),
  microsoft_calendar_connected: z.boolean(),
  google_calendar_connected: z.boolean(),
  time_zone: z.string().nullable().describe("IANA zone; null: the server's default"),
});

export function toLegacyUser(user: User): z.infer<typeof legacyUserSchema> {
  return {
    id: user.id,
    clerk_user_id: user.clerkUserId,
    email: user.email,
    first_name: user.firstName,
    last_name: user.lastName,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
    microsoft_calendar_connected: user.microsoftCalendarConnected,
    google_calendar_connected: user.googleCalendarConnected,
    time_zone: user.timeZone,
  };
}

export const legacyEventSchema = z.object({
  id: z.string(),
  subject: z.string(),
  start_time: z.string().describe("ISO 8601 with the offset of the answer's time zone"),
  end_time: z.string(),
  location: z.string().nullable(),
  attendees: z.array(z.object({ name: z.string().nullable(), email: z.string().nullable() })),
  is_online_meeting: z.boolean(),
  web_link: z.string().nullable(),
  provider: providerSchema.describe("Added: which calendar holds the event"),
});

export function toLegacyEvent(event: CalendarEvent): z.infer<typeof legacyEventSchema> {
  return {
    id: event.id,
    subject: event.title,
    start_time: event.start,
    end_time: event.end,
    location: event.location,
    attendees: event.attendees.map(({ name, email }) => ({ name, email })),
    is_online_meeting: event.isOnlineMeeting,
    web_link: event.webLink,
    provider: event.provider,
  };
}

export const legacySlotSchema = z.object({
  start_time: z.string(),
  end_time: z.string(),
  duration_minutes: z.number().int(),
  formatted_time: z.string().describe('e.g. "Monday, March 15 at 2:00 PM", in the answer\'s time zone'),
});

const slotFormat = (timeZone: string) =>
  new Intl.DateTimeFormat("en-US", {
    timeZone,
    weekday: "long",
    month: "long",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
  });

export function toLegacySlots(
  slots: ReadonlyArray<{ start: string; end: string }>,
  timeZone: string,
): Array<z.infer<typeof legacySlotSchema>> {
  const format = slotFormat(timeZone);
  return slots.map((slot) => {
    const parts = Object.fromEntries(
      format.formatToParts(new Date(slot.start)).map((p) => [p.type, p.value]),
    );
    return {
      start_time: slot.start,
      end_time: slot.end,
      duration_minutes: Math.round((Date.parse(slot.end) - Date.parse(slot.start)) / 60_000),
      formatted_time: `${parts.weekday}, ${parts.month} ${parts.day} at ${parts.hour}:${parts.minute} ${parts.dayPeriod}`,
    };
  });
}

export const legacyMissingProviderSchema = z.object({
  provider: providerSchema,
  reason: z.string(),
  message: z.string(),
});

export const toLegacyMissing = (missing: MissingProvider[]) =>
  missing.map(({ provider, reason, message }) => ({ provider, reason, message }));

export const legacyCalendarStatusSchema = z.object({
  provider: providerSchema,
  connected: z.boolean(),
  available: z.boolean().describe("False: this server has no OAuth client for the provider"),
  account_email: z.string().nullable(),
  expires_at: z.string().nullable(),
  needs_reconnect: z.boolean(),
});

export function toLegacyCalendarStatus(
  status: CalendarProviderStatus,
): z.infer<typeof legacyCalendarStatusSchema> {
  return {
    provider: status.provider,
    connected: status.connected,
    available: status.available,
    account_email: status.accountEmail,
    expires_at: status.expiresAt,
    needs_reconnect: status.needsReconnect,
  };
}

/** `{"success": true, "data": ...}`, the old backend's envelope for every successful answer. */
export const successEnvelope = <T extends z.ZodType, E extends z.ZodRawShape = Record<never, never>>(
  data: T,
  extra?: E,
) => z.object({ success: z.literal(true), data, ...(extra ?? ({} as E)) });

/** A 200 answer in the success envelope, with any extra top-level fields. */
export const ok = <T, E extends Record<string, unknown> = Record<never, never>>(data: T, extra?: E) => ({
  status: 200 as const,
  body: { success: true as const, data, ...(extra ?? ({} as E)) },
});
