import type { AgentRow, LiveBooking } from "@viewings/db";
import {
  type AgentBookingRules,
  agentBookingRulesSchema,
  type BookingRules,
  bookingRulesSchema,
  type CalendarRef,
  type DateOverride,
  type WeeklyHours,
} from "@viewings/validators";
import type { TimeRange } from "../../time/time-ranges.js";
import { bookableWindows, defaultWeeklyHours, minuteOfDay } from "../../time/working-hours.js";
import { localDay } from "../../time/zoned-time.js";

/** The rules in force for one question or booking: every field filled, in one zone. */
export interface SchedulingRules {
  timeZone: string;
  weeklyHours: WeeklyHours;
  dateOverrides: DateOverride[];
  viewingMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  minimumNoticeHours: number;
  horizonDays: number | null;
  dailyCap: number | null;
  slotIntervalMinutes: number | null;
  /** Null: every connected account's primary calendar. */
  busyCalendars: CalendarRef[] | null;
  /** Null: the first-connected account's primary calendar. */
  destinationCalendar: CalendarRef | null;
  /** The agent the rules belong to (its bookings are what its daily cap counts); null for the user's. */
  agentId: string | null;
}

/** What a user who set nothing gets: today's behaviour (Monday to Friday 09:00-17:00, primary calendars). */
const defaults = {
  weeklyHours: defaultWeeklyHours,
  dateOverrides: [],
  viewingMinutes: 30,
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 0,
  minimumNoticeHours: 0,
  horizonDays: null,
  dailyCap: null,
  slotIntervalMinutes: null,
  busyCalendars: null,
  destinationCalendar: null,
} satisfies Omit<SchedulingRules, "timeZone" | "agentId">;

/** Stored rules as written (validated on write); anything unreadable counts as not set. */
export function storedUserRules(value: unknown): BookingRules | null {
  const parsed = bookingRulesSchema.safeParse(value);
  return value != null && parsed.success ? parsed.data : null;
}

export function storedAgentRules(value: unknown): AgentBookingRules | null {
  const parsed = agentBookingRulesSchema.safeParse(value);
  return value != null && parsed.success ? parsed.data : null;
}

/**
 * The rules in force: the agent's own fields over its owner's over the defaults. The viewing length
 * of an agent is its `viewingMinutes` column when set.
 */
export function resolveRules(
  owner: { bookingRules: BookingRules | null },
  agent: Pick<AgentRow, "id" | "viewingMinutes" | "bookingRules"> | null,
  timeZone: string,
): SchedulingRules {
  const own = agent ? storedAgentRules(agent.bookingRules) : null;
  return {
    ...defaults,
    ...owner.bookingRules,
    ...own,
    ...(agent?.viewingMinutes ? { viewingMinutes: agent.viewingMinutes } : {}),
    timeZone,
    agentId: agent?.id ?? null,
  };
}

/** The earliest and latest start the rules allow now. */
export function bookingPeriod(rules: SchedulingRules, now: number): { earliest: number; latest: number } {
  return {
    earliest: now + rules.minimumNoticeHours * 3_600_000,
    latest: rules.horizonDays === null ? Number.POSITIVE_INFINITY : now + rules.horizonDays * 86_400_000,
  };
}

/** The rules' windows for [from, to). */
export function windowsOf(rules: SchedulingRules, from: Date, to: Date): TimeRange[] {
  return bookableWindows(rules, rules.timeZone, from, to);
}

/**
 * Why the rules do not allow this exact slot (outside the hours, too soon, too far ahead, off the
 * slot grid, not the viewing length), or null. Busy time, buffers and the daily cap are checked
 * against the calendars and the ledger by the booking path.
 */
export function ruleBreach(rules: SchedulingRules, slot: TimeRange, now: number): string | null {
  const { earliest, latest } = bookingPeriod(rules, now);
  if (slot.start.getTime() < earliest) {
    return rules.minimumNoticeHours > 0
      ? `Viewings need at least ${rules.minimumNoticeHours} hours' notice.`
      : "That time has already passed.";
  }
  if (slot.start.getTime() > latest) return `Viewings can be booked at most ${rules.horizonDays} days ahead.`;
  const minutes = (slot.end.getTime() - slot.start.getTime()) / 60_000;
  if (minutes !== rules.viewingMinutes) return `A viewing lasts ${rules.viewingMinutes} minutes.`;
  const inside = windowsOf(rules, slot.start, slot.end).some(
    (window) => window.start.getTime() <= slot.start.getTime() && window.end.getTime() >= slot.end.getTime(),
  );
  if (!inside) return "That time is outside viewing hours.";
  if (
    rules.slotIntervalMinutes &&
    minuteOfDay(slot.start, rules.timeZone) % rules.slotIntervalMinutes !== 0
  ) {
    return `Viewings start every ${rules.slotIntervalMinutes} minutes on the clock.`;
  }
  return null;
}

/** Whether a booking counts toward the rules' daily cap: the agent's own, or any of the user's. */
function countsTowardCap(row: LiveBooking, rules: SchedulingRules): boolean {
  return rules.agentId === null || row.agentId === rules.agentId;
}

/** Local days on which the bookings the cap counts reach it. */
export function daysAtCap(booked: readonly LiveBooking[], rules: SchedulingRules): Set<string> {
  const perDay = new Map<string, number>();
  for (const row of booked) {
    if (!countsTowardCap(row, rules)) continue;
    const day = localDay(row.startAt, rules.timeZone);
    perDay.set(day, (perDay.get(day) ?? 0) + 1);
  }
  const cap = rules.dailyCap;
  return new Set(cap === null ? [] : [...perDay].filter(([, count]) => count >= cap).map(([day]) => day));
}

/** Whether the bookings on `day` already reach the cap (so one more would pass it). */
export function atCap(booked: readonly LiveBooking[], rules: SchedulingRules, day: string): boolean {
  return daysAtCap(booked, rules).has(day);
}
