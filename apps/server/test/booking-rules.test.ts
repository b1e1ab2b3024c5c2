// Booking rules (users.updateSettings / agents.update bookingRules): weekly hours with several ranges a
// day, date overrides, buffers, minimum notice against the server's injected clock, horizon, daily cap,
// slot alignment, validation naming the field; events.availability, events.create for an agent and the
// REST availability route all obey them. America/Chicago changes to CDT on Sunday 14 March 2027.
import type { BookingRules } from "@viewings/validators";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type EventsEnv, type EventsUser, startEventsEnv } from "./support/events-env.js";
import { trpcError } from "./support/expect-trpc-error.js";
import { rest } from "./support/rest-client.js";

let env: EventsEnv;
/** The server's scheduling clock; each test sets it. */
let now = Date.parse("2027-03-01T12:00:00Z");
beforeAll(async () => {
  env = await startEventsEnv({}, { now: () => now });
});
afterAll(() => env?.close());
beforeEach(() => env.resetCalls());

type Slot = { start: string; end: string };
const starts = (slots: Slot[]) => slots.map((slot) => slot.start);
const weekdays = (ranges: Array<{ start: string; end: string }>) =>
  Object.fromEntries(["monday", "tuesday", "wednesday", "thursday", "friday"].map((day) => [day, ranges]));
const evenings = weekdays([{ start: "17:00", end: "21:00" }]);

async function agentWith(
  user: EventsUser,
  name: string,
  bookingRules: BookingRules,
  viewingMinutes?: number,
) {
  const { agent } = await user.client.agents.create.mutate({
    vapiAssistantId: `asst_${name}`,
    name,
    bookingRules,
    ...(viewingMinutes ? { viewingMinutes } : {}),
  });
  return agent;
}

/** events.availability for an agent, its rules deciding the length. */
const agentAvailability = (user: EventsUser, agentId: string, from: string, to: string) =>
  user.client.events.availability.query({ agentId, from, to });

const viewing = (start: string, minutes: number) => ({
  title: "Viewing",
  start,
  end: new Date(Date.parse(start) + minutes * 60_000).toISOString(),
});

describe("weekly hours and date overrides in the owner's zone", () => {
  it("splits Saturday into two ranges and keeps evenings at 17:00 local across the March DST change", async () => {
    const user = await env.user("user_rules_split", ["microsoft", "google"]);
    now = Date.parse("2027-03-01T12:00:00Z");
    const saved = await user.client.users.updateSettings.mutate({
      bookingRules: {
        weeklyHours: {
          ...weekdays([{ start: "17:00", end: "20:00" }]),
          saturday: [
            { start: "14:00", end: "16:00" },
            { start: "10:00", end: "12:00" },
          ],
        },
        viewingMinutes: 60,
      },
    });
    expect(saved.bookingRules?.viewingMinutes).toBe(60);

    // Friday 12 (CST, -06:00) to Monday 15 March (CDT, -05:00); no durationMinutes: the rules' 60.
    const answer = await user.client.events.availability.query({
      from: "2027-03-12T00:00:00-06:00",
      to: "2027-03-16T00:00:00-05:00",
    });
    expect(answer.timeZone).toBe("America/Chicago");
    expect(starts(answer.slots)).toEqual([
      "2027-03-12T17:00:00-06:00",
      "2027-03-12T18:00:00-06:00",
      "2027-03-12T19:00:00-06:00",
      "2027-03-13T10:00:00-06:00",
      "2027-03-13T11:00:00-06:00",
      "2027-03-13T14:00:00-06:00",
      "2027-03-13T15:00:00-06:00",
      "2027-03-15T17:00:00-05:00",
      "2027-03-15T18:00:00-05:00",
      "2027-03-15T19:00:00-05:00",
    ]);
    // The same local 17:00, an hour earlier in UTC after the change.
    expect(new Date(answer.slots[0]?.start ?? "").toISOString()).toBe("2027-03-12T23:00:00.000Z");
    expect(new Date(answer.slots[7]?.start ?? "").toISOString()).toBe("2027-03-15T22:00:00.000Z");

    // Asked in another zone, the rules are still read in the owner's: only the presentation changes.
    const london = await user.client.events.availability.query({
      from: "2027-03-12T00:00:00-06:00",
      to: "2027-03-13T00:00:00-06:00",
      timeZone: "Europe/London",
    });
    expect(starts(london.slots)).toEqual([
      "2027-03-12T23:00:00+00:00",
      "2027-03-13T00:00:00+00:00",
      "2027-03-13T01:00:00+00:00",
    ]);
  });

  it("an agent's date overrides: a day off, and extra hours on the Sunday of the DST change", async () => {
    const user = await env.user("user_rules_override", ["google"]);
    now = Date.parse("2027-03-01T12:00:00Z");
    const agent = await agentWith(
      user,
      "override",
      {
        weeklyHours: evenings,
        dateOverrides: [
          { date: "2027-03-15", hours: [] },
          { date: "2027-03-14", hours: [{ start: "13:00", end: "15:00" }] },
        ],
      },
      60,
    );
    const answer = await agentAvailability(
      user,
      agent.id,
      "2027-03-13T00:00:00-06:00",
      "2027-03-17T00:00:00-05:00",
    );
    expect(starts(answer.slots)).toEqual([
      "2027-03-14T13:00:00-05:00",
      "2027-03-14T14:00:00-05:00",
      "2027-03-16T17:00:00-05:00",
      "2027-03-16T18:00:00-05:00",
      "2027-03-16T19:00:00-05:00",
      "2027-03-16T20:00:00-05:00",
    ]);
    // The owner's own availability (no agentId) keeps the owner's rules: the defaults here.
    const own = await user.client.events.availability.query({
      from: "2027-03-15T00:00:00-05:00",
      to: "2027-03-16T00:00:00-05:00",
      durationMinutes: 60,
    });
    expect(starts(own.slots)[0]).toBe("2027-03-15T09:00:00-05:00");
  });
});

describe("buffers, notice, horizon, cap and alignment", () => {
  it("keeps the buffer before and after clear around an existing event, and refuses a booking inside it", async () => {
    const user = await env.user("user_rules_buffer", ["microsoft"]);
    now = Date.parse("2027-03-01T12:00:00Z");
    env.microsoft.state.calendars.add(user.microsoftEmail, {
      title: "Plumber",
      start: "2027-03-16T18:00:00-05:00",
      end: "2027-03-16T18:30:00-05:00",
    });
    const agent = await agentWith(
      user,
      "buffer",
      { weeklyHours: evenings, bufferBeforeMinutes: 15, bufferAfterMinutes: 30 },
      30,
    );
    const answer = await agentAvailability(
      user,
      agent.id,
      "2027-03-16T00:00:00-05:00",
      "2027-03-17T00:00:00-05:00",
    );
    // A viewing must end 30 minutes before the plumber comes and start 15 after he leaves.
    expect(starts(answer.slots)).toEqual([
      "2027-03-16T17:00:00-05:00",
      "2027-03-16T18:45:00-05:00",
      "2027-03-16T19:15:00-05:00",
      "2027-03-16T19:45:00-05:00",
      "2027-03-16T20:15:00-05:00",
    ]);
    const tooClose = await trpcError(
      user.client.events.create.mutate({ ...viewing("2027-03-16T17:15:00-05:00", 30), agentId: agent.id }),
    );
    expect(tooClose.code).toBe("CONFLICT");
    expect(tooClose.message).toContain("2027-03-16T17:00:00-05:00");
    expect(env.microsoft.calls("createEvent")).toHaveLength(0);

    // A viewing booked for the agent is buffered too: nothing ends within 30 minutes before it or
    // starts within 15 after it.
    await user.client.events.create.mutate({
      ...viewing("2027-03-16T19:15:00-05:00", 30),
      agentId: agent.id,
    });
    const after = await agentAvailability(
      user,
      agent.id,
      "2027-03-16T00:00:00-05:00",
      "2027-03-17T00:00:00-05:00",
    );
    expect(starts(after.slots)).toEqual([
      "2027-03-16T17:00:00-05:00",
      "2027-03-16T20:00:00-05:00",
      "2027-03-16T20:30:00-05:00",
    ]);
  });

  it("minimum notice is measured from the server's clock, and moves with it", async () => {
    const user = await env.user("user_rules_notice", ["google"]);
    const agent = await agentWith(user, "notice", { weeklyHours: evenings, minimumNoticeHours: 3 }, 60);
    const tuesday = { agentId: agent.id, from: "2027-03-16T00:00:00-05:00", to: "2027-03-17T00:00:00-05:00" };
    now = Date.parse("2027-03-16T16:00:00-05:00");
    expect(starts((await user.client.events.availability.query(tuesday)).slots)).toEqual([
      "2027-03-16T19:00:00-05:00",
      "2027-03-16T20:00:00-05:00",
    ]);
    now = Date.parse("2027-03-16T16:30:00-05:00");
    expect(starts((await user.client.events.availability.query(tuesday)).slots)).toEqual([
      "2027-03-16T20:00:00-05:00",
    ]);
    const tooSoon = await trpcError(
      user.client.events.create.mutate({ ...viewing("2027-03-16T19:00:00-05:00", 60), agentId: agent.id }),
    );
    expect(tooSoon.code).toBe("BAD_REQUEST");
    expect(tooSoon.message).toMatch(/^start: Viewings need at least 3 hours' notice\. Nearest free times: /);
    expect(tooSoon.message).toContain("2027-03-16T20:00:00-05:00");
    expect(env.google.calls("events.insert")).toHaveLength(0);
    // Without an agent, events.create is the owner's own calendar tool: no timing rules.
    await user.client.events.create.mutate(viewing("2027-03-16T19:00:00-05:00", 60));
  });

  it("the horizon: nothing offered or booked beyond it", async () => {
    const user = await env.user("user_rules_horizon", ["google"]);
    const agent = await agentWith(user, "horizon", { weeklyHours: evenings, horizonDays: 2 }, 60);
    now = Date.parse("2027-03-16T12:00:00-05:00");
    const answer = await agentAvailability(
      user,
      agent.id,
      "2027-03-16T00:00:00-05:00",
      "2027-03-23T00:00:00-05:00",
    );
    const days = [...new Set(starts(answer.slots).map((start) => start.slice(0, 10)))];
    expect(days).toEqual(["2027-03-16", "2027-03-17"]);
    const tooFar = await trpcError(
      user.client.events.create.mutate({ ...viewing("2027-03-19T17:00:00-05:00", 60), agentId: agent.id }),
    );
    expect(tooFar.code).toBe("BAD_REQUEST");
    expect(tooFar.message).toContain("at most 2 days ahead");
    expect(tooFar.message).toContain("2027-03-17T");
  });

  it("the daily cap: reached by bookings, the day is no longer offered and a third booking is refused", async () => {
    const user = await env.user("user_rules_cap", ["microsoft"]);
    now = Date.parse("2027-03-01T12:00:00Z");
    const agent = await agentWith(user, "cap", { weeklyHours: evenings, dailyCap: 2 }, 30);
    for (const start of ["2027-03-17T17:00:00-05:00", "2027-03-17T18:00:00-05:00"]) {
      await user.client.events.create.mutate({ ...viewing(start, 30), agentId: agent.id });
    }
    const third = await trpcError(
      user.client.events.create.mutate({ ...viewing("2027-03-17T19:00:00-05:00", 30), agentId: agent.id }),
    );
    expect(third.code).toBe("BAD_REQUEST");
    expect(third.message).toContain("The limit of 2 viewings on that day is reached.");
    expect(third.message).toContain("2027-03-18T17:00:00-05:00");
    expect(env.microsoft.calls("createEvent")).toHaveLength(2);
    // The refused booking wrote nothing.
    const rows = await env.server.db.booking.findMany({ where: { userId: user.id } });
    expect(rows.map((row) => [row.status, row.agentId])).toEqual([
      ["confirmed", agent.id],
      ["confirmed", agent.id],
    ]);

    const answer = await agentAvailability(
      user,
      agent.id,
      "2027-03-17T00:00:00-05:00",
      "2027-03-19T00:00:00-05:00",
    );
    expect(starts(answer.slots).every((start) => start.startsWith("2027-03-18"))).toBe(true);
    expect(answer.slots).toHaveLength(8);
  });

  it("the daily cap holds when bookings race for the last places of a day", async () => {
    const user = await env.user("user_rules_cap_race", ["google"]);
    now = Date.parse("2027-03-01T12:00:00Z");
    const agent = await agentWith(user, "cap_race", { weeklyHours: evenings, dailyCap: 2 }, 30);
    const times = ["17:00", "17:30", "18:00", "18:30", "19:00", "19:30", "20:00", "20:30"];
    const outcomes = await Promise.allSettled(
      times.map((time) =>
        user.client.events.create.mutate({
          ...viewing(`2027-03-19T${time}:00-05:00`, 30),
          agentId: agent.id,
        }),
      ),
    );
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(2);
    for (const outcome of outcomes) {
      if (outcome.status === "rejected") expect(String(outcome.reason)).toContain("The limit of 2 viewings");
    }
    expect(env.google.calls("events.insert")).toHaveLength(2);
    expect(await env.server.db.booking.count({ where: { userId: user.id, status: "confirmed" } })).toBe(2);
  });

  it("slot alignment: starts only on :00 and :30, around busy time too", async () => {
    const user = await env.user("user_rules_align", ["google"]);
    now = Date.parse("2027-03-01T12:00:00Z");
    env.google.state.calendars.add(user.googleEmail, {
      title: "Call",
      start: "2027-03-16T17:05:00-05:00",
      end: "2027-03-16T17:20:00-05:00",
    });
    const agent = await agentWith(
      user,
      "align",
      { weeklyHours: weekdays([{ start: "17:00", end: "19:00" }]), slotIntervalMinutes: 30 },
      20,
    );
    const answer = await agentAvailability(
      user,
      agent.id,
      "2027-03-16T00:00:00-05:00",
      "2027-03-17T00:00:00-05:00",
    );
    expect(answer.slots).toEqual([
      { start: "2027-03-16T17:30:00-05:00", end: "2027-03-16T17:50:00-05:00" },
      { start: "2027-03-16T18:00:00-05:00", end: "2027-03-16T18:20:00-05:00" },
      { start: "2027-03-16T18:30:00-05:00", end: "2027-03-16T18:50:00-05:00" },
    ]);
    const offGrid = await trpcError(
      user.client.events.create.mutate({ ...viewing("2027-03-16T18:10:00-05:00", 20), agentId: agent.id }),
    );
    expect(offGrid.code).toBe("BAD_REQUEST");
    expect(offGrid.message).toContain("start: Viewings start every 30 minutes on the clock.");
    const wrongLength = await trpcError(
      user.client.events.create.mutate({ ...viewing("2027-03-16T18:00:00-05:00", 45), agentId: agent.id }),
    );
    expect(wrongLength.message).toContain("start: A viewing lasts 20 minutes.");
    const booked = await user.client.events.create.mutate({
      ...viewing("2027-03-16T18:00:00-05:00", 20),
      agentId: agent.id,
    });
    expect(booked.start).toBe("2027-03-16T18:00:00-05:00");
  });
});

describe("validation", () => {
  it("refuses overlapping, inverted and malformed ranges with the field named, and writes nothing", async () => {
    const user = await env.user("user_rules_invalid", ["google"]);
    await user.client.users.updateSettings.mutate({ bookingRules: { viewingMinutes: 25 } });
    const cases: Array<[unknown, string]> = [
      [
        {
          weeklyHours: {
            saturday: [
              { start: "10:00", end: "12:00" },
              { start: "11:30", end: "13:00" },
            ],
          },
        },
        "bookingRules.weeklyHours.saturday.1.start: overlaps 10:00-12:00",
      ],
      [
        { weeklyHours: { monday: [{ start: "18:00", end: "17:00" }] } },
        "bookingRules.weeklyHours.monday.0.end: must be after start",
      ],
      [
        { weeklyHours: { monday: [{ start: "9:00", end: "17:00" }] } },
        "bookingRules.weeklyHours.monday.0.start: must be HH:mm",
      ],
      [{ weeklyHours: { funday: [] } }, "bookingRules.weeklyHours"],
      [
        {
          dateOverrides: [
            { date: "2027-03-15", hours: [] },
            { date: "2027-03-15", hours: [{ start: "10:00", end: "11:00" }] },
          ],
        },
        "bookingRules.dateOverrides.1.date: appears twice",
      ],
      [{ dateOverrides: [{ date: "2027-02-30", hours: [] }] }, "bookingRules.dateOverrides.0.date"],
      [{ bufferBeforeMinutes: -5 }, "bookingRules.bufferBeforeMinutes"],
      [{ slotIntervalMinutes: 2 }, "bookingRules.slotIntervalMinutes"],
      [{ busyCalendars: [] }, "bookingRules.busyCalendars"],
      [
        { destinationCalendar: { provider: "yahoo", calendarId: "x" } },
        "bookingRules.destinationCalendar.provider",
      ],
    ];
    for (const [bookingRules, field] of cases) {
      const error = await trpcError(
        user.client.users.updateSettings.mutate({ bookingRules: bookingRules as BookingRules }),
      );
      expect(error.code, field).toBe("BAD_REQUEST");
      expect(error.message, field).toContain(field);
    }
    const { agent } = await user.client.agents.create.mutate({
      vapiAssistantId: "asst_invalid",
      name: "Invalid",
    });
    const agentError = await trpcError(
      user.client.agents.update.mutate({
        id: agent.id,
        bookingRules: { weeklyHours: { friday: [{ start: "17:00", end: "17:00" }] } },
      }),
    );
    expect(agentError.message).toContain("bookingRules.weeklyHours.friday.0.end: must be after start");
    const stored = await env.server.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.bookingRules).toEqual({ viewingMinutes: 25 });
    expect(
      (await env.server.db.agent.findUniqueOrThrow({ where: { id: agent.id } })).bookingRules,
    ).toBeNull();
    // An unknown agent is refused by name, not answered with the owner's rules.
    const unknown = await trpcError(
      user.client.events.availability.query({
        agentId: "00000000-0000-4000-8000-000000000000",
        from: "2027-03-16T00:00:00-05:00",
        to: "2027-03-17T00:00:00-05:00",
      }),
    );
    expect(unknown.code).toBe("NOT_FOUND");
    expect(unknown.message).toContain("agentId");
  });
});

describe("REST availability", () => {
  it("GET /calendar/availability follows the user's rules, and start_hour/end_hour still override them", async () => {
    const user = await env.user("user_rules_rest", ["google"]);
    now = Date.now();
    await user.client.users.updateSettings.mutate({
      bookingRules: { weeklyHours: { saturday: [{ start: "10:00", end: "12:00" }] }, viewingMinutes: 45 },
    });
    const token = await env.server.clerk.sessionToken("user_rules_rest", {
      claims: { email: "user_rules_rest@example.com" },
    });
    type Answer = { data: Array<{ start_time: string; end_time: string; duration_minutes: number }> };
    const ruled = await rest<Answer>(env.server.url, "GET", "/calendar/availability?days_ahead=14", {
      token,
    });
    expect(ruled.status).toBe(200);
    expect(ruled.body.data.length).toBeGreaterThan(0);
    const local = (iso: string) =>
      new Intl.DateTimeFormat("en-US", {
        timeZone: "America/Chicago",
        weekday: "long",
        hour: "2-digit",
        minute: "2-digit",
        hourCycle: "h23",
      }).format(new Date(iso));
    for (const slot of ruled.body.data) {
      expect(slot.duration_minutes).toBe(45);
      expect(["Saturday 10:00", "Saturday 10:45"]).toContain(local(slot.start_time).replace(",", ""));
    }
    const legacy = await rest<Answer>(
      env.server.url,
      "GET",
      "/calendar/availability?days_ahead=14&start_hour=9&end_hour=17&duration_minutes=30",
      { token },
    );
    expect(legacy.status).toBe(200);
    expect(legacy.body.data.some((slot) => local(slot.start_time).startsWith("Monday"))).toBe(true);
    expect(legacy.body.data.every((slot) => slot.duration_minutes === 30)).toBe(true);
  });
});
