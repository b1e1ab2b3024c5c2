import { z } from "zod";

const earliestInstant = new Date(Date.UTC(2000, 0, 1)).setUTCFullYear(1);
const latestInstant = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * Whether an instant lies within years 1..9999 (UTC), the range every provider and PostgreSQL can
 * store and every ISO 8601 consumer can read back. Checked after the offset is applied, so
 * "9999-12-31T23:30:00-01:00" (year 10000 in UTC) is outside.
 */
export function isWithinSupportedYears(instant: number): boolean {
  return instant >= earliestInstant && instant <= latestInstant;
}

/** Timestamps cross the wire as ISO 8601 strings with an offset, never as naive local times. */
export const isoDateTimeSchema = z.iso
  .datetime({ offset: true })
  .refine((value) => isWithinSupportedYears(Date.parse(value)), "must be between years 1 and 9999");

export const uuidSchema = z.uuid();

/** Emails are compared and stored lower-cased so that "Ann@X.com" and "ann@x.com" are one address. */
export const emailSchema = z.string().trim().toLowerCase().max(255).pipe(z.email());

function isIanaTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return zone.includes("/") || zone === "UTC";
  } catch {
    return false;
  }
}

/** An IANA zone name ("America/Chicago", "Asia/Kolkata"); abbreviations like "CST" are ambiguous. */
export const timeZoneSchema = z
  .string()
  .trim()
  .max(64)
  .refine(isIanaTimeZone, "must be an IANA time zone such as America/Chicago");
