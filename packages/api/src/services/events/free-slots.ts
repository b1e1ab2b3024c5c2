import { DateTime } from "luxon";
import { mergeRanges, subtractRanges, type TimeRange } from "./time-ranges.js";

export interface WorkingHours {
  /** Local wall-clock "HH:mm" in the query's time zone. */
  start: string;
  end: string;
  /** ISO weekdays that are working days: 1 = Monday ... 7 = Sunday. */
  days: readonly number[];
}

export interface FreeSlotQuery {
  from: Date;
  to: Date;
  /** IANA zone the working hours are expressed in, e.g. "America/Chicago". */
  timeZone: string;
  durationMinutes: number;
  /** Kept free before and after every busy period. */
  bufferMinutes: number;
  workingHours: WorkingHours;
  busy: readonly TimeRange[];
  /** Slots start on multiples of this many minutes of local clock time. */
  granularityMinutes?: number;
}

function atLocalTime(day: DateTime, hhmm: string): DateTime {
  const [hour = 0, minute = 0] = hhmm.split(":").map(Number);
  // Luxon moves a wall time that falls in a DST gap forward, which is what a calendar user expects.
  return day.set({ hour, minute, second: 0, millisecond: 0 });
}

/** First instant at or after `instant` whose local minutes are a multiple of `granularity`. */
function alignUp(instant: Date, timeZone: string, granularity: number): Date {
  const local = DateTime.fromJSDate(instant, { zone: timeZone });
  const floored = local.set({
    minute: local.minute - (local.minute % granularity),
    second: 0,
    millisecond: 0,
  });
  return floored < local ? floored.plus({ minutes: granularity }).toJSDate() : floored.toJSDate();
}

/** Working-hour windows of each working day in the zone, clipped to [from, to). */
function workingWindows(query: FreeSlotQuery): TimeRange[] {
  const windows: TimeRange[] = [];
  const last = DateTime.fromJSDate(query.to, { zone: query.timeZone }).endOf("day");
  for (
    let day = DateTime.fromJSDate(query.from, { zone: query.timeZone }).startOf("day");
    day <= last;
    day = day.plus({ days: 1 }).startOf("day")
  ) {
    if (!query.workingHours.days.includes(day.weekday)) continue;
    const start = atLocalTime(day, query.workingHours.start).toJSDate();
    const end = atLocalTime(day, query.workingHours.end).toJSDate();
    const clipped = { start: start > query.from ? start : query.from, end: end < query.to ? end : query.to };
    if (clipped.end > clipped.start) windows.push(clipped);
  }
  return windows;
}

/**
 * Non-overlapping slots of the requested length inside working hours that keep clear of every busy
 * period plus the buffer. Day boundaries and working hours are computed in the query's zone, so slots
 * stay at 09:00 local across DST changes and in zones with half-hour offsets.
 */
export function findFreeSlots(query: FreeSlotQuery): TimeRange[] {
  const bufferMs = query.bufferMinutes * 60_000;
  const durationMs = query.durationMinutes * 60_000;
  const granularity = query.granularityMinutes ?? 15;
  const blocked = mergeRanges(
    query.busy.map((busy) => ({
      start: new Date(busy.start.getTime() - bufferMs),
      end: new Date(busy.end.getTime() + bufferMs),
    })),
  );
  const slots: TimeRange[] = [];
  for (const window of workingWindows(query)) {
    for (const free of subtractRanges(window, blocked)) {
      for (
        let start = alignUp(free.start, query.timeZone, granularity);
        start.getTime() + durationMs <= free.end.getTime();
        start = new Date(start.getTime() + durationMs)
      ) {
        slots.push({ start, end: new Date(start.getTime() + durationMs) });
      }
    }
  }
  return slots;
}
