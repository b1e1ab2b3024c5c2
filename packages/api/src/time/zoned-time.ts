import { DateTime } from "luxon";
import type { TimeRange } from "./time-ranges.js";

/**
 * Offsets of (zone, minute) pairs already computed. Asking Intl (through luxon) for an offset is the
 * most expensive step of computing slots and formatting answers, and the same instants (working hours,
 * quarter hours) come back in every request. Offsets only change on whole minutes since 1972, so a
 * minute's offset is exact. Bounded by dropping everything when full.
 */
const offsets = new Map<string, Map<number, number>>();
const maxOffsets = 200_000;
let offsetCount = 0;
const dayMs = 86_400_000;

/** Milliseconds the zone's wall clock is ahead of UTC at this instant (-18_000_000 for -05:00). */
export function zoneOffsetMs(timeZone: string, epochMs: number): number {
  const minute = Math.floor(epochMs / 60_000);
  let zone = offsets.get(timeZone);
  let offset = zone?.get(minute);
  if (offset === undefined) {
    offset = DateTime.fromMillis(epochMs, { zone: timeZone }).offset * 60_000;
    if (Number.isNaN(offset)) throw new RangeError(`unknown time zone ${timeZone}`);
    if (offsetCount >= maxOffsets) {
      offsets.clear();
      offsetCount = 0;
    }
    zone = offsets.get(timeZone) ?? new Map<number, number>();
    offsets.set(timeZone, zone);
    zone.set(minute, offset);
    offsetCount += 1;
  }
  return offset;
}

/** The wall-clock reading in the zone as a UTC-based count of milliseconds (for date arithmetic). */
export function wallMsInZone(epochMs: number, timeZone: string): number {
  return epochMs + zoneOffsetMs(timeZone, epochMs);
}

/**
 * The instant whose wall-clock reading in the zone is `wallMs`. A reading skipped by a DST change
 * moves forward by the gap (02:30 on a spring-forward day is 03:30), as a calendar user expects; a
 * reading that occurs twice (autumn) is the first occurrence.
 */
export function instantOfWallMs(wallMs: number, timeZone: string): number {
  // The offsets in force a day either side; zones change at most once in that span.
  const before = zoneOffsetMs(timeZone, wallMs - dayMs);
  const after = zoneOffsetMs(timeZone, wallMs + dayMs);
  const early = wallMs - Math.max(before, after);
  if (zoneOffsetMs(timeZone, early) === Math.max(before, after)) return early;
  const late = wallMs - Math.min(before, after);
  if (zoneOffsetMs(timeZone, late) === Math.min(before, after)) return late;
  // Skipped by the change: read with the offset from before it, which lands after the gap.
  return wallMs - before;
}

/** "2026-03-03T14:00:00-06:00": an instant as ISO 8601 with the zone's offset at that instant. */
export function isoInZone(instant: Date, timeZone: string): string {
  const epochMs = instant.getTime();
  const offset = zoneOffsetMs(timeZone, epochMs);
  // The wall time is formatted as if it were UTC, then given its real offset. Like luxon: "Z" for the
  // zone named UTC, milliseconds only when there are any.
  const wall = new Date(epochMs + offset).toISOString();
  const time = epochMs % 1000 === 0 ? wall.slice(0, 19) : wall.slice(0, 23);
  if (timeZone === "UTC" || timeZone === "utc") return `${time}Z`;
  const minutes = Math.abs(offset / 60_000);
  const sign = offset < 0 ? "-" : "+";
  const hh = String(Math.floor(minutes / 60)).padStart(2, "0");
  const mm = String(minutes % 60).padStart(2, "0");
  return `${time}${sign}${hh}:${mm}`;
}

/** "2026-03-03T14:00:00": the wall-clock time in the zone, for APIs that take the zone separately. */
export function wallTimeInZone(instant: Date, timeZone: string): string {
  return DateTime.fromJSDate(instant, { zone: timeZone }).toFormat("yyyy-MM-dd'T'HH:mm:ss");
}

/**
 * The instant starting the local day `days` after the one holding this wall-clock reading. A midnight
 * a DST change skips starts its day at the first reading that exists (see instantOfWallMs).
 */
function midnightOf(wallMs: number, timeZone: string, days = 0): Date {
  if (!Number.isFinite(wallMs)) return new Date(Number.NaN);
  const midnight = Math.floor(wallMs / dayMs) * dayMs + days * dayMs;
  return new Date(instantOfWallMs(midnight, timeZone));
}

/** Midnight of a calendar date ("2026-03-03") in the zone: all-day events float with the user. */
export function startOfDateInZone(date: string, timeZone: string, plusDays = 0): Date {
  const day = date.slice(0, 10);
  const wallMs = Date.parse(`${day}T00:00:00Z`);
  // Date.parse rolls February 30 over to March 2; a date that is not on the calendar is invalid.
  const real = Number.isFinite(wallMs) && new Date(wallMs).toISOString().startsWith(day);
  return midnightOf(real ? wallMs : Number.NaN, timeZone, plusDays);
}

/** Midnight starting the local day of an instant, or of the day `plusDays` later. */
export function startOfLocalDay(instant: Date, timeZone: string, plusDays = 0): Date {
  return midnightOf(wallMsInZone(instant.getTime(), timeZone), timeZone, plusDays);
}

const graphWallTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?$/;

/** Reads a provider's dateTime given in `zone` (Graph sends "2026-03-03T20:00:00.0000000" + "UTC"). */
export function instantFromWallTime(dateTime: string, zone: string): Date {
  // Graph's own form in UTC (what the adapter asks for) is read directly; anything else goes to luxon.
  if (zone === "UTC" && graphWallTime.test(dateTime)) {
    const wallMs = Date.parse(`${dateTime}Z`);
    if (new Date(wallMs).toISOString().startsWith(dateTime.slice(0, 10))) return new Date(wallMs);
  }
  const parsed = DateTime.fromISO(dateTime, { zone: zone === "UTC" ? "utc" : zone });
  if (!parsed.isValid) throw new Error(`unreadable provider time ${dateTime} (${zone})`);
  return parsed.toJSDate();
}

/** The local day a viewing falls on, "2027-03-13", for the daily cap. */
export function localDay(instant: Date, timeZone: string): string {
  return new Date(wallMsInZone(instant.getTime(), timeZone)).toISOString().slice(0, 10);
}

/** The local day's [start, end) around an instant (23 or 25 hours on a DST change). */
export function localDayRange(instant: Date, timeZone: string): TimeRange {
  return { start: startOfLocalDay(instant, timeZone), end: startOfLocalDay(instant, timeZone, 1) };
}
