// A believable working week for a sandbox account, so a developer sees events, busy times and free
// slots the moment a sandbox calendar is connected. Times are wall-clock times in the calendar's zone.
import type { FakeCalendars, FakeEventInput, ShowAs } from "./fake-calendar.js";
import { addDays, instantAt, wallTime } from "./zoned-clock.js";

interface SeedEvent {
  title: string;
  from: string;
  to: string;
  showAs?: ShowAs;
  location?: string;
  /** Only on these weekdays (0 = Sunday); every weekday when absent. */
  days?: number[];
}

const week: SeedEvent[] = [
  { title: "Team stand-up", from: "09:00", to: "09:30" },
  { title: "Viewing: 12 Elm Street", from: "10:30", to: "11:30", location: "12 Elm Street", days: [1, 3, 5] },
  { title: "Lunch", from: "12:00", to: "13:00", showAs: "free" },
  { title: "Maintenance visit", from: "14:00", to: "15:30", showAs: "tentative", days: [2, 4] },
  { title: "Tenant check-in: 4B", from: "16:00", to: "16:30", location: "48 Oak Avenue", days: [1, 4] },
];

/** Adds seven days of events, starting today in the calendar's zone, to `email`'s calendar. */
export function seedWeek(calendars: FakeCalendars, email: string, now = new Date()): void {
  const zone = calendars.timeZone;
  const today = wallTime(now, zone).slice(0, 10);
  const events: FakeEventInput[] = [];
  for (let offset = 0; offset < 7; offset++) {
    const date = addDays(today, offset);
    const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    for (const seed of week) {
      if (seed.days && !seed.days.includes(weekday)) continue;
      events.push({
        title: seed.title,
        start: instantAt(`${date}T${seed.from}`, zone).toISOString(),
        end: instantAt(`${date}T${seed.to}`, zone).toISOString(),
        ...(seed.showAs ? { showAs: seed.showAs } : {}),
        ...(seed.location ? { location: seed.location } : {}),
      });
    }
  }
  calendars.add(email, ...events);
}
