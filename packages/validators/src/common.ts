import { z } from "zod";

const earliestInstant = new Date(Date.UTC(2000, 0, 1)).setUTCFullYear(1);
const latestInstant = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * Timestamps cross the wire as ISO 8601 strings with an offset, never as naive local times. The
 * instant, after applying the offset, must fall in years 1..9999: PostgreSQL refuses year 0 and
 * `9999-12-31T23:59:59-23:59` is year 10000 in UTC, which no later read could format.
 */
export const isoDateTimeSchema = z.iso
  .datetime({ offset: true })
  .refine((value) => isStorableInstant(Date.parse(value)), "must be between years 1 and 9999");

/** Whether epoch milliseconds fall in years 1..9999 (UTC), which PostgreSQL and our DTOs handle. */
export function isStorableInstant(millis: number): boolean {
  return millis >= earliestInstant && millis <= latestInstant;
}

/**
 * PostgreSQL text cannot hold NUL; one rule for every string that may reach it: schemas bound each
 * string by its column (`.max(n)`) and add `.refine(hasNoNul, noNulMessage)`.
 */
export const hasNoNul = (value: string) => !value.includes("\u0000");
export const noNulMessage = "must not contain NUL (\\u0000) characters";

/** The users table's name columns. */
export const personNameMaxLength = 100;

/**
 * A person's name as Clerk hands it over (webhook, session claims, Backend API): never refused, since
 * refusing would lock the user out or make Svix retry for days; NUL characters are dropped and the
 * rest trimmed and cut to the column. Empty becomes null.
 */
export function clerkPersonName(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const cleaned = value.replaceAll("\u0000", "").trim().slice(0, personNameMaxLength).trim();
  return cleaned ? cleaned : null;
}

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
