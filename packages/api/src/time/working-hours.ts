import type { User, WorkingHoursInput } from "@viewings/validators";
import { DateTime } from "luxon";
import type { TimeRange } from "./time-ranges.js";

export interface WorkingHours {
  /** Local wall-clock "HH:mm" in the query's time zone. */
  start: string;
  end: string;
  /** ISO weekdays that are working days: 1 = Monday ... 7 = Sunday. */
  days: readonly number[];
}

/** The one default: Monday to Friday, 09:00-17:00 in the landlord's zone. */
export const defaultWorkingHours: WorkingHours = { start: "09:00", end: "17:00", days: [1, 2, 3, 4, 5] };

/** Working hours as asked for, each part the default where the caller left it out. */
export function workingHoursOf(input?: Partial<WorkingHoursInput>): WorkingHours {
  return {
    start: input?.start ?? defaultWorkingHours.start,
    end: input?.end ?? defaultWorkingHours.end,
    days: input?.days ?? defaultWorkingHours.days,
  };
}

/** Whether a booking lies within one working day's hours, read on the zone's wall clock. */
export function withinWorkingHours(range: TimeRange, timeZone: string, hours = defaultWorkingHours): boolean {
  const from = DateTime.fromJSDate(range.start, { zone: timeZone });
  const to = DateTime.fromJSDate(range.end, { zone: timeZone });
  return (
    hours.days.includes(from.weekday) &&
    from.hasSame(to, "day") &&
    from.toFormat("HH:mm") >= hours.start &&
    to.toFormat("HH:mm") <= hours.end
  );
}

/** The zone a request is answered in: asked for, else the user's, else the server default. */
export function timeZoneFor(user: Pick<User, "timeZone">, defaultZone: string, requested?: string): string {
  return requested ?? user.timeZone ?? defaultZone;
}
