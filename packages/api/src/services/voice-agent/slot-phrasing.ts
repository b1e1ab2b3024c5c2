import type { TimeRange } from "../../time/time-ranges.js";
import { isoInZone } from "../../time/zoned-time.js";
import { spokenDateTime } from "./spoken-time.js";

/** "Tuesday, March 3 at 2:00 PM (2026-03-03T14:00:00-06:00)": spoken text plus the ISO time to book with. */
export function phraseSlots(slots: readonly TimeRange[], timeZone: string): string {
  return slots
    .map((slot) => `${spokenDateTime(slot.start, timeZone)} (${isoInZone(slot.start, timeZone)})`)
    .join("; ");
}

/**
 * A few options a caller can keep in their head: at most two a day, a couple of hours apart, five in all.
 */
export function pickOptions(slots: readonly TimeRange[], timeZone: string, limit = 5): TimeRange[] {
  const chosen: TimeRange[] = [];
  const perDay = new Map<string, TimeRange[]>();
  for (const slot of slots) {
    const day = isoInZone(slot.start, timeZone).slice(0, 10);
    const sameDay = perDay.get(day) ?? [];
    const last = sameDay.at(-1);
    if (sameDay.length >= 2 || (last && slot.start.getTime() - last.start.getTime() < 2 * 3_600_000))
      continue;
    sameDay.push(slot);
    perDay.set(day, sameDay);
    chosen.push(slot);
    if (chosen.length === limit) break;
  }
  return chosen;
}
