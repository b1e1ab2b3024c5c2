import { mergeRanges, subtractRanges, type TimeRange } from "../../time/time-ranges.js";
import type { WorkingHours } from "../../time/working-hours.js";
import { instantOfWallMs, wallMsInZone } from "../../time/zoned-time.js";

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

const minuteMs = 60_000;
const dayMs = 86_400_000;

/** "09:30" as milliseconds after local midnight. */
function wallOffsetOf(hhmm: string): number {
  const [hour = 0, minute = 0] = hhmm.split(":").map(Number);
  return (hour * 60 + minute) * minuteMs;
}

/**
 * First instant at or after `instant` whose local minutes are a multiple of `granularity`. Computed on
 * the zone's wall clock, so a +05:30 zone aligns to its own quarter hours, not UTC's.
 */
function alignUp(instant: Date, timeZone: string, granularity: number): Date {
  const wall = wallMsInZone(instant.getTime(), timeZone);
  const minuteOfHour = Math.floor(wall / minuteMs) % 60;
  const intoStep = (minuteOfHour % granularity) * minuteMs + (wall % minuteMs);
  if (intoStep === 0) return instant;
  return new Date(instant.getTime() - intoStep + granularity * minuteMs);
}

/**
 * Working-hour windows of each working day in the zone, clipped to [from, to). Days are walked on the
 * zone's wall clock (a day there may last 23 or 25 hours), and each window's ends are turned into
 * instants with that day's own offset, so 09:00 stays 09:00 across DST changes.
 */
function workingWindows(query: FreeSlotQuery): TimeRange[] {
  const windows: TimeRange[] = [];
  const startOffset = wallOffsetOf(query.workingHours.start);
  const endOffset = wallOffsetOf(query.workingHours.end);
  const firstDay = Math.floor(wallMsInZone(query.from.getTime(), query.timeZone) / dayMs) * dayMs;
  const lastDay = wallMsInZone(query.to.getTime(), query.timeZone);
  for (let day = firstDay; day <= lastDay; day += dayMs) {
    // getUTCDay on a wall-clock count is the local weekday; 0 = Sunday becomes ISO 7.
    const weekday = new Date(day).getUTCDay() || 7;
    if (!query.workingHours.days.includes(weekday)) continue;
    const start = instantOfWallMs(day + startOffset, query.timeZone);
    const end = instantOfWallMs(day + endOffset, query.timeZone);
    const clipped = {
      start: new Date(Math.max(start, query.from.getTime())),
      end: new Date(Math.min(end, query.to.getTime())),
    };
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
