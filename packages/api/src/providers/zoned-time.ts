import { DateTime } from "luxon";

/** "2026-03-03T14:00:00-06:00": an instant as ISO 8601 with the zone's offset at that instant. */
export function isoInZone(instant: Date, timeZone: string): string {
  return (
    DateTime.fromJSDate(instant, { zone: timeZone }).toISO({ suppressMilliseconds: true }) ??
    instant.toISOString()
  );
}

/** "2026-03-03T14:00:00": the wall-clock time in the zone, for APIs that take the zone separately. */
export function wallTimeInZone(instant: Date, timeZone: string): string {
  return DateTime.fromJSDate(instant, { zone: timeZone }).toFormat("yyyy-MM-dd'T'HH:mm:ss");
}

/** Midnight of a calendar date ("2026-03-03") in the zone: all-day events float with the user. */
export function startOfDateInZone(date: string, timeZone: string): Date {
  return DateTime.fromISO(date.slice(0, 10), { zone: timeZone }).startOf("day").toJSDate();
}

/** Reads a provider's dateTime given in `zone` (Graph sends "2026-03-03T20:00:00.0000000" + "UTC"). */
export function instantFromWallTime(dateTime: string, zone: string): Date {
  const parsed = DateTime.fromISO(dateTime, { zone: zone === "UTC" ? "utc" : zone });
  if (!parsed.isValid) throw new Error(`unreadable provider time ${dateTime} (${zone})`);
  return parsed.toJSDate();
}
