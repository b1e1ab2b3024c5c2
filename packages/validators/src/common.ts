import { z } from "zod";

/** Timestamps cross the wire as ISO 8601 strings with an offset, never as naive local times. */
export const isoDateTimeSchema = z.iso.datetime({ offset: true });

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
