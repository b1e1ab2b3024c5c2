import { weekdayNames } from "@viewings/validators";
import type { SchedulingRules } from "../scheduling/booking-rules.js";

const shortDay = (day: string) => day.charAt(0).toUpperCase() + day.slice(1, 3);

/**
 * The booking rules in a sentence or two a model can follow: "Viewings last 20 minutes. Viewing hours
 * (America/Chicago): Mon 17:00-21:00; ... Sat 09:00-12:00. At least 3 hours' notice." Date overrides
 * are left to the tools' answers (the model cannot know them all in advance).
 */
export function describeRules(rules: SchedulingRules): string {
  const hours = weekdayNames
    .map((day) => {
      const ranges = rules.weeklyHours[day] ?? [];
      return ranges.length
        ? `${shortDay(day)} ${ranges.map((range) => `${range.start}-${range.end}`).join(", ")}`
        : null;
    })
    .filter(Boolean)
    .join("; ");
  const parts = [
    `Viewings last ${rules.viewingMinutes} minutes.`,
    `Viewing hours (${rules.timeZone}): ${hours || "none"}.`,
    rules.minimumNoticeHours > 0 ? `At least ${rules.minimumNoticeHours} hours' notice is needed.` : "",
    rules.horizonDays ? `Bookings can be made up to ${rules.horizonDays} days ahead.` : "",
    rules.slotIntervalMinutes
      ? `Viewings start every ${rules.slotIntervalMinutes} minutes on the clock.`
      : "",
  ];
  return parts.filter(Boolean).join(" ");
}
