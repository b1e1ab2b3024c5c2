import type { TimeRange } from "../../time/time-ranges.js";

/** The free slots closest to a wanted time, in chronological order. */
export function nearestSlots(slots: readonly TimeRange[], wanted: Date, limit = 3): TimeRange[] {
  return [...slots]
    .sort(
      (a, b) =>
        Math.abs(a.start.getTime() - wanted.getTime()) - Math.abs(b.start.getTime() - wanted.getTime()),
    )
    .slice(0, limit)
    .sort((a, b) => a.start.getTime() - b.start.getTime());
}
