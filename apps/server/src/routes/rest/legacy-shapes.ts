/**
 * The old FastAPI backend's response shapes (snake_case), built from the procedures' outputs. The
 * schemas type the converters and describe the responses in the OpenAPI document.
 */
import type { CalendarEvent, CalendarProviderStatus, MissingProvider, User } from "@viewings/validators";
import { z } from "zod";

const providerSchema = z.enum(["microsoft", "google"]);

export const legacyUserSchema = z.object({
  id: z.uuid(),
  user_id: z.uuid().describe("The same as id, under the old backend's name (the existing frontend reads it)"),
  clerk_user_id: z.string(),
  email: z.string(),
  first_name: z.string().nullable(),
  last_name: z.string().nullable(),
  full_name: z
    .string()
    .nullable()
    .describe("First and last name, space-separated; null when neither is known"),
  created_at: z.string().describe("ISO 8601 with offset"),
  updated_at: z.string().describe("ISO 8601 with offset"),
  microsoft_calendar_connected: z.boolean(),
  google_calendar_connected: z.boolean(),
  has_microsoft_calendar: z.boolean().describe("The old backend's name for microsoft_calendar_connected"),
  has_google_calendar: z.boolean().describe("The old backend's name for google_calendar_connected"),
  time_zone: z.string().nullable().describe("IANA zone; null: the server's default"),
});

export function toLegacyUser(user: User): z.infer<typeof legacyUserSchema> {
  const fullName = [user.firstName, user.lastName].filter(Boolean).join(" ");
  return {
    id: user.id,
    user_id: user.id,
    clerk_user_id: user.clerkUserId,
    email: user.email,
    first_name: user.firstName,
    last_name: user.lastName,
    full_name: fullName === "" ? null : fullName,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
    microsoft_calendar_connected: user.microsoftCalendarConnected,
    google_calendar_connected: user.googleCalendarConnected,
    has_microsoft_calendar: user.microsoftCalendarConnected,
    has_google_calendar: user.googleCalendarConnected,
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
  body: z.string().nullable().describe("The event's description; null: not read from the provider"),
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
    body: null,
    provider: event.provider,
  };
}

export const legacySlotSchema = z.object({
  start_time: z.string(),
  end_time: z.string(),
  duration_minutes: z.number().int(),
  formatted_time: z.string().describe('e.g. "Monday, March 15 at 2:00 PM", in the answer\'s time zone'),
  day: z.string().describe('The weekday in the answer\'s time zone, e.g. "Monday"'),
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
      day: parts.weekday ?? "",
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

/**
 * The old backend's top-level status fields, which the existing frontend reads (authorized, provider,
 * calendar_email, user_email, expires_at). `provider` names the connected calendar, null when none.
 */
export const legacyAuthStatusFields = {
  user_id: z.uuid(),
  user_email: z.string().describe("The user's own (Clerk) address"),
  authorized: z.boolean().describe("Connected and usable (false when the provider asks to reconnect)"),
  token_valid: z.boolean(),
  provider: providerSchema.nullable().describe("The connected calendar's provider; null when none"),
  calendar_email: z.string().nullable().describe("The connected calendar account's address"),
  expires_at: z.string().nullable(),
};

export function toLegacyAuthStatus(
  user: User,
  status: CalendarProviderStatus,
): { [K in keyof typeof legacyAuthStatusFields]: z.infer<(typeof legacyAuthStatusFields)[K]> } {
  const usable = status.connected && !status.needsReconnect;
  return {
    user_id: user.id,
    user_email: user.email,
    authorized: usable,
    token_valid: usable,
    provider: status.connected ? status.provider : null,
    calendar_email: status.connected ? status.accountEmail : null,
    expires_at: status.expiresAt,
  };
}

/** `{"success": true, "data": ...}`, the seed guide's envelope for every successful answer. */
export const successEnvelope = <T extends z.ZodType, E extends z.ZodRawShape = Record<never, never>>(
  data: T,
  extra?: E,
) => z.object({ success: z.literal(true), data, ...(extra ?? ({} as E)) });

/** A 200 answer in the success envelope, with any extra top-level fields. */
export const ok = <T, E extends Record<string, unknown> = Record<never, never>>(data: T, extra?: E) => ({
  status: 200 as const,
  body: { success: true as const, data, ...(extra ?? ({} as E)) },
});

/**
 * An object both in the envelope and at the top level: the seed guide reads `data`, the existing
 * frontend reads the old backend's fields at the top level (e.g. GET /users/me's user_id).
 */
export const envelopedAndTopLevel = <T extends z.ZodObject>(data: T) => successEnvelope(data, data.shape);

export const okAndTopLevel = <T extends Record<string, unknown>>(data: T) => ok(data, data);

/** The old backend's `status` field on calendar answers, next to the envelope. */
export const legacyStatusField = { status: z.literal("success") };
