// events.availability: working hours in the user's zone (DST, half-hour offsets), busy time from both
// providers (Google freeBusy, Graph getSchedule, calendarView for personal accounts), buffers.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type EventsEnv, startEventsEnv } from "./support/events-env.js";

let env: EventsEnv;
beforeAll(async () => {
  env = await startEventsEnv();
});
afterAll(() => env?.close());
beforeEach(() => env.resetCalls());

type Slot = { start: string; end: string };
const starts = (slots: Slot[]) => slots.map((slot) => slot.start);
const onDay = (slots: Slot[], day: string) => starts(slots).filter((start) => start.startsWith(day));
const hours = (day: string, offset: string, from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => `${day}T${String(from + i).padStart(2, "0")}:00:00${offset}`);

describe("working hours across DST", () => {
  it("America/Chicago: 09:00-17:00 local on both sides of the March and November changes", async () => {
    const user = await env.user("user_av_chicago", ["microsoft", "google"]);
    // Friday 12 March (CST, -06:00) to Monday 15 March (CDT, -05:00); the weekend has no slots.
    const spring = await user.client.events.availability.query({
      from: "2027-03-12T00:00:00-06:00",
      to: "2027-03-16T00:00:00-05:00",
      durationMinutes: 60,
    });
    expect(spring.timeZone).toBe("America/Chicago");
    expect(spring.missingProviders).toEqual([]);
    expect(starts(spring.slots)).toEqual([
      ...hours("2027-03-12", "-06:00", 9, 17),
      ...hours("2027-03-15", "-05:00", 9, 17),
    ]);
    // Same local time, one hour apart in UTC.
    expect(new Date(spring.slots[0]?.start ?? "").toISOString()).toBe("2027-03-12T15:00:00.000Z");
    expect(new Date(spring.slots[8]?.start ?? "").toISOString()).toBe("2027-03-15T14:00:00.000Z");
    expect(spring.slots[7]?.end).toBe("2027-03-12T17:00:00-06:00");

    // Friday 5 November (CDT) to Monday 8 November (CST, after the change on Sunday 7th).
    const autumn = await user.client.events.availability.query({
      from: "2027-11-05T00:00:00-05:00",
      to: "2027-11-09T00:00:00-06:00",
      durationMinutes: 60,
    });
    expect(starts(autumn.slots)).toEqual([
      ...hours("2027-11-05", "-05:00", 9, 17),
      ...hours("2027-11-08", "-06:00", 9, 17),
    ]);
  });

  it("Europe/London, from the user's own setting: 09:00 is 09:00Z before 28 March and 08:00Z after", async () => {
    const user = await env.user("user_av_london", ["google"]);
    await user.client.users.updateSettings.mutate({ timeZone: "Europe/London" });
    const answer = await user.client.events.availability.query({
      from: "2027-03-26T00:00:00Z",
      to: "2027-03-30T00:00:00Z",
      durationMinutes: 120,
      workingHours: { start: "09:00", end: "17:00", days: [1, 2, 3, 4, 5] },
    });
    expect(answer.timeZone).toBe("Europe/London");
    expect(onDay(answer.slots, "2027-03-26")).toEqual([
      "2027-03-26T09:00:00+00:00",
      "2027-03-26T11:00:00+00:00",
      "2027-03-26T13:00:00+00:00",
      "2027-03-26T15:00:00+00:00",
    ]);
    expect(onDay(answer.slots, "2027-03-29")).toEqual([
      "2027-03-29T09:00:00+01:00",
      "2027-03-29T11:00:00+01:00",
      "2027-03-29T13:00:00+01:00",
      "2027-03-29T15:00:00+01:00",
    ]);
    expect(new Date(answer.slots[4]?.start ?? "").toISOString()).toBe("2027-03-29T08:00:00.000Z");
    expect(answer.slots).toHaveLength(8);
  });

  it("Asia/Kolkata (+05:30): slots align to local quarter hours around busy time", async () => {
    const user = await env.user("user_av_kolkata", ["microsoft", "google"]);
    // 10:00-10:45 IST on Tuesday 16 March 2027.
    env.google.state.calendars.add(user.googleEmail, {
      title: "Busy",
      start: "2027-03-16T04:30:00Z",
      end: "2027-03-16T05:15:00Z",
    });
    const answer = await user.client.events.availability.query({
      from: "2027-03-16T00:00:00+05:30",
      to: "2027-03-17T00:00:00+05:30",
      durationMinutes: 30,
      timeZone: "Asia/Kolkata",
      workingHours: { start: "09:00", end: "12:00", days: [2] },
    });
    expect(answer.timeZone).toBe("Asia/Kolkata");
    expect(starts(answer.slots)).toEqual([
      "2027-03-16T09:00:00+05:30",
      "2027-03-16T09:30:00+05:30",
      "2027-03-16T10:45:00+05:30",
      "2027-03-16T11:15:00+05:30",
    ]);
    expect(new Date(answer.slots[2]?.start ?? "").toISOString()).toBe("2027-03-16T05:15:00.000Z");
  });
});

describe("busy time", () => {
  const tuesday = {
    from: "2027-03-16T00:00:00-05:00",
    to: "2027-03-17T00:00:00-05:00",
    durationMinutes: 60,
  };
  const at = (hour: number) => `2027-03-16T${String(hour + 5).padStart(2, "0")}:00:00Z`; // Chicago hour

  it("removes busy time of both providers; free time does not block and tentative does", async () => {
    const user = await env.user("user_av_both", ["microsoft", "google"]);
    env.microsoft.state.calendars.add(
      user.microsoftEmail,
      { title: "MS busy", start: at(9), end: at(10) },
      { title: "MS free", start: at(15), end: at(16), showAs: "free" },
      { title: "MS tentative", start: at(16), end: at(17), showAs: "tentative" },
    );
    env.google.state.calendars.add(
      user.googleEmail,
      { title: "G busy", start: at(13), end: at(14) },
      { title: "G transparent", start: at(11), end: at(12), showAs: "free" },
    );
    const answer = await user.client.events.availability.query(tuesday);
    expect(starts(answer.slots)).toEqual(
      ["10", "11", "12", "14", "15"].map((h) => `2027-03-16T${h}:00:00-05:00`),
    );
    // Work account: one getSchedule, one freeBusy, no event listing.
    expect(env.microsoft.calls().map((call) => call.route)).toEqual(["getSchedule"]);
    expect(env.google.calls().map((call) => call.route)).toEqual(["freeBusy"]);
    const schedule = env.microsoft.calls("getSchedule")[0]?.body as { schedules: string[] };
    expect(schedule.schedules).toEqual([user.microsoftEmail]);
  });

  it("keeps the buffer clear before and after busy periods", async () => {
    const user = await env.user("user_av_buffer", ["microsoft"]);
    env.microsoft.state.calendars.add(user.microsoftEmail, { title: "Viewing", start: at(11), end: at(12) });
    const query = { ...tuesday, durationMinutes: 30, workingHours: { start: "10:00", end: "13:00" } };
    const plain = await user.client.events.availability.query(query);
    expect(starts(plain.slots)).toEqual(
      ["10:00", "10:30", "12:00", "12:30"].map((t) => `2027-03-16T${t}:00-05:00`),
    );
    const buffered = await user.client.events.availability.query({ ...query, bufferMinutes: 15 });
    expect(starts(buffered.slots)).toEqual(["10:00", "12:15"].map((t) => `2027-03-16T${t}:00-05:00`));
    // The slot before ends exactly where the buffer starts.
    expect(buffered.slots[0]?.end).toBe("2027-03-16T10:30:00-05:00");
  });

  it.each([
    ["an HTTP error", "http" as const, 400],
    ["an HTTP 500", "http" as const, 500],
    ["a per-schedule error entry", "entry-error" as const, 400],
  ])(
    "personal Microsoft account (getSchedule fails with %s): busy time from calendarView, free and workingElsewhere dropped",
    async (_name, mode, status) => {
      const user = await env.user(`user_av_personal_${mode}_${status}`, ["microsoft"]);
      env.microsoft.state.calendars.add(
        user.microsoftEmail,
        { title: "Busy", start: at(9), end: at(10) },
        { title: "Free", start: at(10), end: at(11), showAs: "free" },
        { title: "Elsewhere", start: at(11), end: at(12), showAs: "workingElsewhere" },
        { title: "Away", start: at(13), end: at(14), showAs: "oof" },
        { title: "Day off", start: "2027-03-17", end: "2027-03-18", allDay: true, showAs: "oof" },
      );
      env.microsoft.state.personalAccount = true;
      env.microsoft.state.personalScheduleFailure = mode;
      env.microsoft.state.personalScheduleStatus = status;
      try {
        const answer = await user.client.events.availability.query({
          ...tuesday,
          to: "2027-03-18T00:00:00-05:00",
        });
        expect(answer.missingProviders).toEqual([]);
        expect(onDay(answer.slots, "2027-03-16")).toEqual(
          ["10", "11", "12", "14", "15", "16"].map((h) => `2027-03-16T${h}:00:00-05:00`),
        );
        // The all-day out-of-office blocks the whole Wednesday.
        expect(onDay(answer.slots, "2027-03-17")).toEqual([]);
        expect(env.microsoft.calls().map((call) => call.route)).toEqual(["getSchedule", "calendarView"]);

        // The account is remembered: the next question goes straight to calendarView.
        env.resetCalls();
        await user.client.events.availability.query({ ...tuesday, durationMinutes: 30 });
        expect(env.microsoft.calls().map((call) => call.route)).toEqual(["calendarView"]);
      } finally {
        env.microsoft.state.personalAccount = false;
      }
    },
  );

  it("starts no earlier than now when the range begins in the past", async () => {
    const user = await env.user("user_av_now", ["google"]);
    const now = Date.now();
    const answer = await user.client.events.availability.query({
      from: new Date(now - 3 * 86_400_000).toISOString(),
      to: new Date(now + 7 * 86_400_000).toISOString(),
      durationMinutes: 30,
      workingHours: { start: "00:00", end: "23:45", days: [1, 2, 3, 4, 5, 6, 7] },
    });
    expect(answer.slots.length).toBeGreaterThan(0);
    for (const slot of answer.slots) expect(Date.parse(slot.start)).toBeGreaterThanOrEqual(now - 1000);
  });
});
