import { isStorableInstant } from "@viewings/validators";
import { DateTime } from "luxon";

/** "Tuesday, March 3 at 2:00 PM": how the assistant reads a time aloud, in the landlord's zone. */
export function spokenDateTime(instant: Date, timeZone: string): string {
  return DateTime.fromJSDate(instant, { zone: timeZone })
    .setLocale("en-US")
    .toFormat("cccc, LLLL d 'at' h:mm a");
}

/**
 * Reads a time the model sent. ISO 8601 with an offset is taken as that instant; without one
 * ("2026-03-03T14:00") it is wall-clock time in the landlord's zone, which is what a caller means.
 * Returns null for anything that is not a readable date and time, or lies outside years 1..9999.
 */
export function readModelTime(value: unknown, timeZone: string): Date | null {
  if (typeof value !== "string" || !/\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}/.test(value.trim())) return null;
  const parsed = DateTime.fromISO(value.trim().replace(" ", "T"), { zone: timeZone });
  return parsed.isValid && isStorableInstant(parsed.toMillis()) ? parsed.toJSDate() : null;
}
