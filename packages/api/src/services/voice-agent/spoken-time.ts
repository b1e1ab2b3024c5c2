import { isStorableInstant } from "@viewings/validators";
import { DateTime } from "luxon";
import { wallMsInZone } from "../../time/zoned-time.js";

const weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const months = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/**
 * "Tuesday, March 3 at 2:00 PM": how the assistant reads a time aloud, in the landlord's zone. Spelled
 * out from the wall clock rather than through Intl, which made formatting the costliest step of a
 * cached availability answer.
 */
export function spokenDateTime(instant: Date, timeZone: string): string {
  const wall = new Date(wallMsInZone(instant.getTime(), timeZone));
  const hours = wall.getUTCHours();
  const minutes = String(wall.getUTCMinutes()).padStart(2, "0");
  const day = `${weekdays[wall.getUTCDay()]}, ${months[wall.getUTCMonth()]} ${wall.getUTCDate()}`;
  return `${day} at ${hours % 12 || 12}:${minutes} ${hours < 12 ? "AM" : "PM"}`;
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
