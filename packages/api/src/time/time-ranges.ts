/** A half-open span of time [start, end) between two instants. */
export interface TimeRange {
  start: Date;
  end: Date;
}

/** Sorts and merges overlapping or touching ranges, so later steps can walk them once. */
export function mergeRanges(ranges: readonly TimeRange[]): TimeRange[] {
  const sorted = ranges
    .filter((range) => range.end > range.start)
    .sort((a, b) => a.start.getTime() - b.start.getTime());
  const merged: TimeRange[] = [];
  for (const range of sorted) {
    const last = merged.at(-1);
    if (last && range.start <= last.end) {
      if (range.end > last.end) last.end = range.end;
    } else {
      merged.push({ start: range.start, end: range.end });
    }
  }
  return merged;
}

/** The parts of `window` not covered by any of the (merged, sorted) `blocked` ranges. */
export function subtractRanges(window: TimeRange, blocked: readonly TimeRange[]): TimeRange[] {
  const free: TimeRange[] = [];
  let cursor = window.start;
  for (const range of blocked) {
    if (range.end <= cursor) continue;
    if (range.start >= window.end) break;
    if (range.start > cursor) free.push({ start: cursor, end: range.start });
    if (range.end > cursor) cursor = range.end;
  }
  if (cursor < window.end) free.push({ start: cursor, end: window.end });
  return free;
}

export function overlaps(a: TimeRange, b: TimeRange): boolean {
  return a.start < b.end && b.start < a.end;
}
