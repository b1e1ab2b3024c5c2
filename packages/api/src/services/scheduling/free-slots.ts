import { mergeRanges, subtractRanges, type TimeRange } from "../../time/time-ranges.js";
import { wallMsInZone } from "../../time/zoned-time.js";

export interface FreeSlotQuery {
  /** The bookable windows (time/working-hours.ts bookableWindows), sorted. */
  windows: readonly TimeRange[];
  /** IANA zone slot alignment is read in, e.g. "America/Chicago". */
  timeZone: string;
  durationMinutes: number;
  /** Kept free between whatever precedes a slot and the slot. */
  bufferBeforeMinutes: number;
  /** Kept free between a slot and whatever follows it. */
  bufferAfterMinutes: number;
  /** Busy periods: calendar events and this backend's bookings. */
  busy: readonly TimeRange[];
  /**
   * Slots start on multiples of this many minutes after local midnight, one interval apart. Without
   * it, the first slot of a free stretch starts on a quarter hour and the next ones follow back to back.
   */
  intervalMinutes?: number | null | undefined;
}

const minuteMs = 60_000;

/**
 * First instant at or after `instant` whose minutes since local midnight are a multiple of `step`.
 * Computed on the zone's wall clock, so a +05:30 zone aligns to its own quarter hours, not UTC's.
 */
function alignUp(instant: Date, timeZone: string, step: number): Date {
  const wall = wallMsInZone(instant.getTime(), timeZone);
  const intoStep = wall % (step * minuteMs);
  if (intoStep === 0) return instant;
  return new Date(instant.getTime() - intoStep + step * minuteMs);
}

/**
 * A busy period grown by the buffers: a slot may not start within `bufferBefore` after it ends, nor
 * end within `bufferAfter` before it starts.
 */
export function withBuffers(
  busy: TimeRange,
  bufferBeforeMinutes: number,
  bufferAfterMinutes: number,
): TimeRange {
  return {
    start: new Date(busy.start.getTime() - bufferAfterMinutes * minuteMs),
    end: new Date(busy.end.getTime() + bufferBeforeMinutes * minuteMs),
  };
}

/** Slots of the requested length inside the windows that keep clear of every busy period and its buffers. */
export function findFreeSlots(query: FreeSlotQuery): TimeRange[] {
  const durationMs = query.durationMinutes * minuteMs;
  const align = query.intervalMinutes ?? 15;
  const stepMs = query.intervalMinutes ? query.intervalMinutes * minuteMs : durationMs;
  const blocked = mergeRanges(
    query.busy.map((busy) => withBuffers(busy, query.bufferBeforeMinutes, query.bufferAfterMinutes)),
  );
  const slots: TimeRange[] = [];
  for (const window of query.windows) {
    for (const free of subtractRanges(window, blocked)) {
      for (
        let start = alignUp(free.start, query.timeZone, align);
        start.getTime() + durationMs <= free.end.getTime();
        start = new Date(start.getTime() + stepMs)
      ) {
        slots.push({ start, end: new Date(start.getTime() + durationMs) });
      }
    }
  }
  return slots;
}
