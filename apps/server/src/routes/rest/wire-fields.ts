/**
 * Wire-level field schemas: they only turn what HTTP carries (query strings, JSON) into the types the
 * procedures take. Every domain rule (formats, ranges, ownership) stays in the procedures' own schemas.
 */
import { calendarProviderSchema } from "@viewings/validators";
import { z } from "zod";

/** `true`/`false` (also `1`/`0`) from a query string, or a JSON boolean. */
export const booleanField = z.union([
  z.boolean(),
  z.enum(["true", "false", "1", "0"]).transform((value) => value === "true" || value === "1"),
]);

export const providerField = calendarProviderSchema;

/** A whole number from a query string. */
export const integerField = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const timeZoneField = z
  .string()
  .optional()
  .describe("IANA zone for the answer's times (default: the user's, else the server's)");

export const daysFromNow = (days: number, now = new Date()) => ({
  from: now.toISOString(),
  to: new Date(now.getTime() + days * 86_400_000).toISOString(),
});

/** A Clerk timestamp: ISO 8601 with offset, or Clerk's milliseconds since the epoch (made ISO 8601). */
export const clerkTimeField = z
  .union([z.string(), z.number().int().nonnegative().max(8.64e15)])
  .transform((value) => (typeof value === "number" ? new Date(value).toISOString() : value));
