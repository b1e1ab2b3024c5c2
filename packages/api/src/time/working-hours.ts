import type { DateOverride, HoursRange, User, WeeklyHours, WorkingHoursInput } from "@viewings/validators";
import { weekdayNames } from "@viewings/validators";
import type { TimeRange } from "./time-ranges.js";
import { instantOfWallMs, wallMsInZone } from "./zoned-time.js";

/** The one default: Monday to Friday, 09:00-17:00 in the landlord's zone. */
export const defaultWeeklyHours: WeeklyHours = Object.fromEntries(
  weekdayNames.slice(0, 5).map((day) => [day, [{ start: "09:00", end: "17:00" }]]),
);

/** The old single-range form (the REST route's start_hour/end_hour), each part the default's where left out. */
export function weeklyHoursOf(input: WorkingHoursInput): WeeklyHours {
  const range = { start: input.start ?? "09:00", end: input.end ?? "17:00" };
  const days = input.days ?? [1, 2, 3, 4, 5];
  return Object.fromEntries(days.map((day) => [weekdayNames[day - 1], [range]]));
}

/** The zone a request is answered in: asked for, else the user's, else the server default. */
export function timeZoneFor(user: Pick<User, "timeZone">, defaultZone: string, requested?: string): string {
  return requested ?? user.timeZone ?? defaultZone;
}

const minuteMs = 60_000;
const dayMs = 86_400_000;

/** "09:30" as milliseconds after local midnight ("24:00" is the next midnight). */
function wallOffsetOf(hhmm: string): number {
  const [hour = 0, minute = 0] = hhmm.split(":").map(Number);
  return (hour * 60 + minute) * minuteMs;
}

/**
 * The bookable windows between `from` and `to`: each local day's ranges (its date override's when it
 * has one, else its weekday's), clipped. Days are walked on the zone's wall clock (a day there may last
 * 23 or 25 hours) and each range's ends become instants with that day's own offset, so 17:00 stays
 * 17:00 across DST changes; a time skipped by the change moves forward by the gap.
 */
export function bookableWindows(
  hours: { weeklyHours: WeeklyHours; dateOverrides: readonly DateOverride[] },
  timeZone: string,
  from: Date,
  to: Date,
): TimeRange[] {
  const overrides = new Map(hours.dateOverrides.map((override) => [override.date, override.hours]));
  const windows: TimeRange[] = [];
  const firstDay = Math.floor(wallMsInZone(from.getTime(), timeZone) / dayMs) * dayMs;
  const lastDay = wallMsInZone(to.getTime(), timeZone);
  for (let day = firstDay; day <= lastDay; day += dayMs) {
    const date = new Date(day).toISOString().slice(0, 10);
    // getUTCDay on a wall-clock count is the local weekday; 0 = Sunday is the last of weekdayNames.
    const weekday = weekdayNames[((new Date(day).getUTCDay() || 7) - 1) as number] ?? "sunday";
    const ranges: readonly HoursRange[] = overrides.get(date) ?? hours.weeklyHours[weekday] ?? [];
    for (const range of ranges) {
      const start = instantOfWallMs(day + wallOffsetOf(range.start), timeZone);
      const end = instantOfWallMs(day + wallOffsetOf(range.end), timeZone);
      const clipped = {
        start: new Date(Math.max(start, from.getTime())),
        end: new Date(Math.min(end, to.getTime())),
      };
      if (clipped.end > clipped.start) windows.push(clipped);
    }
  }
  return windows.sort((a, b) => a.start.getTime() - b.start.getTime());
}

/** Minutes since local midnight at this instant, on the zone's wall clock. */
export function minuteOfDay(instant: Date, timeZone: string): number {
  return Math.floor((wallMsInZone(instant.getTime(), timeZone) % dayMs) / minuteMs);
}
