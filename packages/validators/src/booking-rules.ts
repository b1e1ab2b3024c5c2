import { z } from "zod";
import { calendarProviderSchema } from "./calendar.js";
import { missingProviderSchema } from "./events.js";

/**
 * When viewings may be booked, shared by the API and the frontend. Every time is a wall-clock time in
 * the owner's (or the agent's) IANA zone; the server turns them into instants day by day, so 17:00
 * stays 17:00 across DST changes.
 */

/** "HH:mm", 24-hour; "24:00" only as the end of a range that runs to midnight. */
const clockTime = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, "must be HH:mm (24-hour)");

export const hoursRangeSchema = z
  .object({ start: clockTime, end: clockTime })
  .refine((range) => range.end > range.start, { path: ["end"], message: "must be after start" });
export type HoursRange = z.infer<typeof hoursRangeSchema>;

/** Several ranges a day, e.g. 10:00-12:00 and 14:00-18:00; refused when two overlap. */
const dayHoursSchema = z
  .array(hoursRangeSchema)
  .max(12)
  .superRefine((ranges, ctx) => {
    const sorted = ranges
      .map((range, index) => ({ ...range, index }))
      .sort((a, b) => (a.start < b.start ? -1 : 1));
    for (let i = 1; i < sorted.length; i++) {
      const [previous, current] = [sorted[i - 1], sorted[i]];
      if (previous && current && current.start < previous.end) {
        ctx.addIssue({
          code: "custom",
          path: [current.index, "start"],
          message: `overlaps ${previous.start}-${previous.end}`,
        });
      }
    }
  });

export const weekdayNames = [
  "monday",
  "tuesday",
  "wednesday",
  "thursday",
  "friday",
  "saturday",
  "sunday",
] as const;
export type WeekdayName = (typeof weekdayNames)[number];

/** Ranges per weekday; a weekday left out (or empty) takes no viewings. */
export const weeklyHoursSchema = z.strictObject(
  Object.fromEntries(weekdayNames.map((day) => [day, dayHoursSchema.optional()])) as Record<
    WeekdayName,
    z.ZodOptional<typeof dayHoursSchema>
  >,
);
export type WeeklyHours = z.infer<typeof weeklyHoursSchema>;

/** One date's hours instead of its weekday's: `[]` is a day off, ranges are that day's only hours. */
export const dateOverrideSchema = z.object({
  date: z.iso.date(),
  hours: dayHoursSchema,
});
export type DateOverride = z.infer<typeof dateOverrideSchema>;

/** A calendar of one connected account, by the provider's id (from calendar.listCalendars). */
export const calendarRefSchema = z.object({
  provider: calendarProviderSchema,
  calendarId: z.string().trim().min(1).max(1024),
});
export type CalendarRef = z.infer<typeof calendarRefSchema>;

const minutes = (max: number) => z.number().int().min(0).max(max);

/**
 * The rules themselves. Every field is optional: a user's rules fill what they leave out from the
 * server's defaults (Monday to Friday 09:00-17:00, no buffers, notice, horizon or cap, primary
 * calendars), and an agent's rules from its owner's.
 */
export const bookingRulesSchema = z
  .object({
    weeklyHours: weeklyHoursSchema,
    dateOverrides: z
      .array(dateOverrideSchema)
      .max(366)
      .superRefine((overrides, ctx) => {
        const seen = new Set<string>();
        overrides.forEach((override, index) => {
          if (seen.has(override.date))
            ctx.addIssue({ code: "custom", path: [index, "date"], message: "appears twice" });
          seen.add(override.date);
        });
      }),
    /** Length of one viewing (user-level default; an agent's own is its `viewingMinutes`). */
    viewingMinutes: z.number().int().min(5).max(240),
    /** Kept free before a viewing (after whatever precedes it). */
    bufferBeforeMinutes: minutes(240),
    /** Kept free after a viewing (before whatever follows it). */
    bufferAfterMinutes: minutes(240),
    /** No viewing starts sooner than this many hours from now. */
    minimumNoticeHours: z
      .number()
      .min(0)
      .max(24 * 90),
    /** No viewing starts later than this many days from now. */
    horizonDays: z.number().int().min(1).max(730),
    /** At most this many viewings (booked through this backend) start on one local day. */
    dailyCap: z.number().int().min(1).max(500),
    /** Viewings start on multiples of this many minutes past the hour (30: :00 and :30). */
    slotIntervalMinutes: z.number().int().min(5).max(240),
    /** The calendars whose events make a time busy; default every connected account's primary one. */
    busyCalendars: z.array(calendarRefSchema).min(1).max(50),
    /** The calendar bookings are written into; default the first-connected account's primary one. */
    destinationCalendar: calendarRefSchema,
  })
  .partial()
  .strict();
export type BookingRules = z.infer<typeof bookingRulesSchema>;

/** An agent's own rules: the viewing length is the agent's `viewingMinutes`, not part of these. */
export const agentBookingRulesSchema = bookingRulesSchema.omit({ viewingMinutes: true });
export type AgentBookingRules = z.infer<typeof agentBookingRulesSchema>;

/** One calendar of a connected account, as listed by the provider. */
export const providerCalendarSchema = z.object({
  provider: calendarProviderSchema,
  calendarId: z.string(),
  name: z.string(),
  /** The account's default calendar (Graph isDefaultCalendar, Google primary). */
  primary: z.boolean(),
  /** Whether events can be written into it (a destination must be writable). */
  canWrite: z.boolean(),
});
export type ProviderCalendar = z.infer<typeof providerCalendarSchema>;

export const listCalendarsOutput = z.object({
  accounts: z.array(
    z.object({
      provider: calendarProviderSchema,
      accountEmail: z.string().nullable(),
      calendars: z.array(providerCalendarSchema),
    }),
  ),
  missingProviders: z.array(missingProviderSchema),
});
export type ListCalendarsOutput = z.infer<typeof listCalendarsOutput>;
