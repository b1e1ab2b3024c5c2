// Calendar choice (calendar.listCalendars; bookingRules.busyCalendars and .destinationCalendar) and the
// landlord's own words through every door: "weekday evenings and Saturday mornings, 20-minute viewings,
// 10 minutes between, never less than 3 hours' notice, only against my Work calendar, booked into
// Viewings". Graph: /me/calendars, /me/calendars/{id}/calendarView and /events; Google: calendarList,
// freeBusy over several items, /calendars/{id}/events.
import type { BookingRules } from "@viewings/validators";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type EventsEnv, startEventsEnv } from "./support/events-env.js";
import { postVapi, toolCallsMessage } from "./support/vapi.js";

let env: EventsEnv;
let now = Date.parse("2027-03-16T15:00:00-05:00");
beforeAll(async () => {
  env = await startEventsEnv({}, { now: () => now });
});
afterAll(() => env?.close());
beforeEach(() => env.resetCalls());

type Results = Array<{ toolCallId: string; result?: string; error?: string }>;
const starts = (slots: Array<{ start: string }>) => slots.map((slot) => slot.start);

describe("calendar.listCalendars", () => {
  it("lists every connected account's calendars, primary and writable marked", async () => {
    const user = await env.user("user_cal_list", ["microsoft", "google"]);
    env.microsoft.state.calendars.addCalendar(user.microsoftEmail, { id: "work-cal", name: "Work" });
    env.microsoft.state.calendars.addCalendar(user.microsoftEmail, {
      id: "shared-cal",
      name: "Team (shared)",
      canWrite: false,
    });
    env.google.state.calendars.addCalendar(user.googleEmail, { id: "family-cal", name: "Family" });
    const listed = await user.client.calendar.listCalendars.query();
    expect(listed.missingProviders).toEqual([]);
    expect(listed.accounts).toEqual([
      {
        provider: "microsoft",
        accountEmail: user.microsoftEmail,
        calendars: [
          {
            provider: "microsoft",
            calendarId: env.microsoft.defaultCalendarId,
            name: "Calendar",
            primary: true,
            canWrite: true,
          },
          { provider: "microsoft", calendarId: "work-cal", name: "Work", primary: false, canWrite: true },
          {
            provider: "microsoft",
            calendarId: "shared-cal",
            name: "Team (shared)",
            primary: false,
            canWrite: false,
          },
        ],
      },
      {
        provider: "google",
        accountEmail: user.googleEmail,
        calendars: [
          {
            provider: "google",
            calendarId: user.googleEmail,
            name: user.googleEmail,
            primary: true,
            canWrite: true,
          },
          { provider: "google", calendarId: "family-cal", name: "Family", primary: false, canWrite: true },
        ],
      },
    ]);
  });
});

describe("busy calendars and the destination", () => {
  it("a chosen second calendar blocks slots; one not chosen does not, nor does an unchosen provider", async () => {
    const user = await env.user("user_cal_busy", ["microsoft", "google"]);
    const family = env.google.state.calendars.addCalendar(user.googleEmail, {
      id: "family-cal",
      name: "Family",
    });
    const gym = env.google.state.calendars.addCalendar(user.googleEmail, { id: "gym-cal", name: "Gym" });
    env.google.state.calendars.add(family, {
      title: "School run",
      start: "2027-03-17T10:00:00-05:00",
      end: "2027-03-17T11:00:00-05:00",
    });
    env.google.state.calendars.add(gym, {
      title: "Gym",
      start: "2027-03-17T13:00:00-05:00",
      end: "2027-03-17T14:00:00-05:00",
    });
    env.microsoft.state.calendars.add(user.microsoftEmail, {
      title: "Not counted",
      start: "2027-03-17T15:00:00-05:00",
      end: "2027-03-17T16:00:00-05:00",
    });
    await user.client.users.updateSettings.mutate({
      bookingRules: {
        busyCalendars: [
          { provider: "google", calendarId: user.googleEmail },
          { provider: "google", calendarId: "family-cal" },
        ],
      },
    });
    const answer = await user.client.events.availability.query({
      from: "2027-03-17T00:00:00-05:00",
      to: "2027-03-18T00:00:00-05:00",
      durationMinutes: 60,
    });
    expect(answer.missingProviders).toEqual([]);
    expect(starts(answer.slots).map((start) => start.slice(11, 16))).toEqual([
      "09:00",
      "11:00",
      "12:00",
      "13:00",
      "14:00",
      "15:00",
      "16:00",
    ]);
    const [freeBusy] = env.google.calls("freeBusy");
    expect((freeBusy?.body as { items?: unknown[] } | undefined)?.items).toEqual([
      { id: user.googleEmail },
      { id: "family-cal" },
    ]);
    expect(env.microsoft.state.api.calls).toHaveLength(0);
  });

  it("Google: bookings go into the chosen calendar, and a voice cancel deletes them there", async () => {
    const user = await env.user("user_cal_google_dest", ["google"]);
    const viewings = env.google.state.calendars.addCalendar(user.googleEmail, {
      id: "viewings-g",
      name: "Viewings",
    });
    await user.client.users.updateSettings.mutate({
      bookingRules: { destinationCalendar: { provider: "google", calendarId: "viewings-g" } },
    });
    const event = await user.client.events.create.mutate({
      title: "Own booking",
      start: "2027-03-18T10:00:00-05:00",
      end: "2027-03-18T10:30:00-05:00",
    });
    expect(env.google.calls("events.insert")[0]?.url).toMatch(
      /^\/calendar\/v3\/calendars\/viewings-g\/events\?/,
    );
    expect(env.google.state.calendars.events(viewings).map((e) => e.id)).toEqual([event.id]);
    expect(env.google.state.calendars.events(user.googleEmail)).toEqual([]);

    const { agent, webhookSecret } = await user.client.agents.create.mutate({
      vapiAssistantId: "asst_google_dest",
      name: "Line",
    });
    const post = (calls: Parameters<typeof toolCallsMessage>[1]) =>
      postVapi(env.server.url, toolCallsMessage(agent.vapiAssistantId, calls), {
        authorization: `Bearer ${webhookSecret}`,
      });
    const booked = await post([
      {
        id: "tc_g_book",
        name: "book_appointment",
        args: { property_address: "1 Elm St", start_time: "2027-03-18T14:00", attendee_name: "Ann" },
      },
    ]);
    const appointmentId = /Appointment id ([0-9a-f-]{36})/.exec(
      (booked.body.results as Results)[0]?.result ?? "",
    )?.[1];
    expect(appointmentId).toBeDefined();
    expect(env.google.state.calendars.events(viewings)).toHaveLength(2);
    const cancelled = await post([
      { id: "tc_g_cancel", name: "cancel_appointment", args: { appointment_id: appointmentId } },
    ]);
    expect((cancelled.body.results as Results)[0]?.result).toMatch(/^Cancelled the viewing of 1 Elm St/);
    expect(env.google.calls("events.delete")[0]?.url).toMatch(
      /^\/calendar\/v3\/calendars\/viewings-g\/events\//,
    );
    expect(env.google.state.calendars.events(viewings).map((e) => e.id)).toEqual([event.id]);
  });
});

describe("the landlord's example through every door", () => {
  /** Exactly the README's example (users.updateSettings). */
  const landlordRules: BookingRules = {
    weeklyHours: {
      monday: [{ start: "17:00", end: "21:00" }],
      tuesday: [{ start: "17:00", end: "21:00" }],
      wednesday: [{ start: "17:00", end: "21:00" }],
      thursday: [{ start: "17:00", end: "21:00" }],
      friday: [{ start: "17:00", end: "21:00" }],
      saturday: [{ start: "09:00", end: "12:00" }],
    },
    viewingMinutes: 20,
    bufferBeforeMinutes: 10,
    bufferAfterMinutes: 10,
    slotIntervalMinutes: 30,
    minimumNoticeHours: 3,
    busyCalendars: [{ provider: "microsoft", calendarId: "work-cal" }],
    destinationCalendar: { provider: "microsoft", calendarId: "viewings-cal" },
  };

  it("availability, events.create, the voice tools and the tool definitions all obey it", async () => {
    now = Date.parse("2027-03-16T15:00:00-05:00"); // Tuesday 3 pm in Chicago
    const user = await env.user("user_cal_landlord", ["microsoft"]);
    const work = env.microsoft.state.calendars.addCalendar(user.microsoftEmail, {
      id: "work-cal",
      name: "Work",
    });
    const viewings = env.microsoft.state.calendars.addCalendar(user.microsoftEmail, {
      id: "viewings-cal",
      name: "Viewings",
    });
    env.microsoft.state.calendars.add(work, {
      title: "Late meeting",
      start: "2027-03-16T19:00:00-05:00",
      end: "2027-03-16T19:30:00-05:00",
    });
    env.microsoft.state.calendars.add(user.microsoftEmail, {
      title: "Personal, not counted",
      start: "2027-03-16T20:00:00-05:00",
      end: "2027-03-16T20:30:00-05:00",
    });
    await user.client.users.updateSettings.mutate({ bookingRules: landlordRules });
    const { agent, webhookSecret } = await user.client.agents.create.mutate({
      vapiAssistantId: "asst_landlord_example",
      name: "Viewing line",
    });
    expect(agent.viewingMinutes).toBe(20);

    // events.availability for the agent: not before 18:00 (notice), 19:00 and 19:30 are within 10
    // minutes of the Work meeting, the personal calendar does not count.
    const tuesday = await user.client.events.availability.query({
      agentId: agent.id,
      from: "2027-03-16T00:00:00-05:00",
      to: "2027-03-17T00:00:00-05:00",
    });
    expect(tuesday.slots).toEqual(
      ["18:00", "18:30", "20:00", "20:30"].map((time) => ({
        start: `2027-03-16T${time}:00-05:00`,
        end: `2027-03-16T${time.slice(0, 3)}${String(Number(time.slice(3)) + 20)}:00-05:00`,
      })),
    );
    const saturday = await user.client.events.availability.query({
      agentId: agent.id,
      from: "2027-03-20T00:00:00-05:00",
      to: "2027-03-21T00:00:00-05:00",
    });
    expect(starts(saturday.slots).map((start) => start.slice(11, 16))).toEqual([
      "09:00",
      "09:30",
      "10:00",
      "10:30",
      "11:00",
      "11:30",
    ]);

    // The voice tools.
    const post = (calls: Parameters<typeof toolCallsMessage>[1]) =>
      postVapi(env.server.url, toolCallsMessage(agent.vapiAssistantId, calls), {
        authorization: `Bearer ${webhookSecret}`,
      });
    const offered = await post([{ id: "tc_l_check", name: "check_availability", args: {} }]);
    const text = (offered.body.results as Results)[0]?.result ?? "";
    expect(text).toMatch(/^Available 20-minute viewing times: /);
    const times = [...text.matchAll(/\((\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-0[56]:00)\)/g)].map(
      (match) => match[1] ?? "",
    );
    expect(times.length).toBeGreaterThan(2);
    for (const time of times) {
      const local = new Date(Date.parse(time) - 5 * 3_600_000); // CDT wall clock
      const weekday = local.getUTCDay();
      const minutes = local.getUTCHours() * 60 + local.getUTCMinutes();
      const evening = weekday >= 1 && weekday <= 5 && minutes >= 17 * 60 && minutes + 20 <= 21 * 60;
      const saturdayMorning = weekday === 6 && minutes >= 9 * 60 && minutes + 20 <= 12 * 60;
      expect(evening || saturdayMorning, time).toBe(true);
      expect(local.getUTCMinutes() % 30, time).toBe(0);
      expect(Date.parse(time) - now, time).toBeGreaterThanOrEqual(3 * 3_600_000);
      expect(time, "within 10 minutes of the Work meeting").not.toMatch(/^2027-03-16T19:(00|30)/);
    }

    const tooSoon = await post([
      {
        id: "tc_l_soon",
        name: "book_appointment",
        args: { property_address: "9 Oak Ave", start_time: "2027-03-16T17:00", attendee_name: "Bo" },
      },
    ]);
    expect((tooSoon.body.results as Results)[0]?.error).toMatch(
      /^Viewings need at least 3 hours' notice\. The nearest free times are: .*\(2027-03-16T18:00:00-05:00\)/,
    );
    const sunday = await post([
      {
        id: "tc_l_sunday",
        name: "book_appointment",
        args: { property_address: "9 Oak Ave", start_time: "2027-03-21T11:00", attendee_name: "Bo" },
      },
    ]);
    const sundayError = (sunday.body.results as Results)[0]?.error ?? "";
    expect(sundayError).toMatch(/^That time is outside viewing hours\. The nearest free times are: /);
    expect(sundayError).toContain("(2027-03-20T11:30:00-05:00)");
    expect(env.microsoft.calls("createEvent")).toHaveLength(0);

    const booked = await post([
      {
        id: "tc_l_book",
        name: "book_appointment",
        args: { property_address: "9 Oak Ave", start_time: "2027-03-16T18:30", attendee_name: "Bo" },
      },
    ]);
    expect((booked.body.results as Results)[0]?.result).toMatch(/^Booked a viewing of 9 Oak Ave on Tuesday/);
    expect(env.microsoft.calls("createEvent")[0]?.url).toBe("/v1.0/me/calendars/viewings-cal/events");
    expect(env.microsoft.state.calendars.events(viewings).map((event) => event.title)).toEqual([
      "Property Viewing: 9 Oak Ave",
    ]);

    // events.create for the agent books into Viewings too.
    await expect(
      user.client.events.create.mutate({
        title: "Viewing",
        start: "2027-03-16T20:00:00-05:00",
        end: "2027-03-16T20:20:00-05:00",
        agentId: agent.id,
      }),
    ).resolves.toMatchObject({ start: "2027-03-16T20:00:00-05:00" });
    expect(env.microsoft.calls("createEvent")[1]?.url).toBe("/v1.0/me/calendars/viewings-cal/events");

    // The tool definitions tell the model the rules.
    const tools = await user.client.agents.toolDefinitions.query({ agentId: agent.id });
    const describe = tools.find((tool) => tool.function.name === "check_availability")?.function.description;
    expect(describe).toContain("Viewings last 20 minutes.");
    expect(describe).toContain(
      "Viewing hours (America/Chicago): Mon 17:00-21:00; Tue 17:00-21:00; Wed 17:00-21:00; Thu 17:00-21:00; Fri 17:00-21:00; Sat 09:00-12:00.",
    );
    expect(describe).toContain("At least 3 hours' notice is needed.");
  });
});
