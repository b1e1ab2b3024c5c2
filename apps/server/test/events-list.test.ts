// events.list through the typed client against the listening server, with both calendars connected
// through the real OAuth callback and served by the loopback Graph and Google fakes.
import { calendarEventSchema } from "@viewings/validators";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type EventsEnv, startEventsEnv } from "./support/events-env.js";
import { trpcError } from "./support/expect-trpc-error.js";

let env: EventsEnv;
beforeAll(async () => {
  env = await startEventsEnv();
});
afterAll(() => env?.close());
beforeEach(() => env.resetCalls());

// Mid-March 2027: US clocks went forward on Sunday 14 March, so Chicago is at -05:00 here.
const week = { from: "2027-03-15T00:00:00-05:00", to: "2027-03-20T00:00:00-05:00" };

describe("events.list", () => {
  it("merges both providers into one shape, sorted by start, in the user's zone", async () => {
    const user = await env.user("user_list_merge", ["microsoft", "google"]);
    env.microsoft.state.calendars.add(
      user.microsoftEmail,
      {
        title: "Teams sync",
        start: "2027-03-16T16:00:00Z",
        end: "2027-03-16T16:30:00Z",
        location: "Room 4",
        joinUrl: "https://teams.microsoft.com/l/meetup-join/abc",
        attendees: [
          { email: user.microsoftEmail, name: "Landlord", organizer: true },
          { email: "tenant@example.com", name: "Tenant", response: "tentative" },
        ],
      },
      { title: "Inspection", start: "2027-03-15T14:00:00Z", end: "2027-03-15T15:00:00Z" },
    );
    env.google.state.calendars.add(user.googleEmail, {
      title: "Viewing: 12 Elm St",
      start: "2027-03-16T14:00:00Z",
      end: "2027-03-16T15:00:00Z",
      location: "12 Elm St",
      joinUrl: "https://meet.google.com/abc-defg-hij",
      attendees: [
        { email: "a@example.com", name: "Ann", response: "accepted" },
        { email: "b@example.com", response: "declined" },
      ],
    });

    const { events, missingProviders } = await user.client.events.list.query(week);
    expect(missingProviders).toEqual([]);
    expect(events.map((event) => [event.provider, event.title, event.start])).toEqual([
      ["microsoft", "Inspection", "2027-03-15T09:00:00-05:00"],
      ["google", "Viewing: 12 Elm St", "2027-03-16T09:00:00-05:00"],
      ["microsoft", "Teams sync", "2027-03-16T11:00:00-05:00"],
    ]);
    for (const event of events) expect(calendarEventSchema.parse(event)).toEqual(event);
    expect(events[2]).toMatchObject({
      end: "2027-03-16T11:30:00-05:00",
      allDay: false,
      location: "Room 4",
      attendees: [
        { name: "Landlord", email: user.microsoftEmail, response: "organizer" },
        { name: "Tenant", email: "tenant@example.com", response: "tentative" },
      ],
      isOnlineMeeting: true,
      joinUrl: "https://teams.microsoft.com/l/meetup-join/abc",
      webLink: expect.stringMatching(/^https:\/\/outlook\.office365\.com\//),
    });
    expect(events[1]).toMatchObject({
      location: "12 Elm St",
      attendees: [
        { name: "Ann", email: "a@example.com", response: "accepted" },
        { name: null, email: "b@example.com", response: "declined" },
      ],
      isOnlineMeeting: true,
      joinUrl: "https://meet.google.com/abc-defg-hij",
      webLink: expect.stringMatching(/^https:\/\/www\.google\.com\/calendar\/event/),
    });
    expect(events[0]).toMatchObject({ location: null, attendees: [], isOnlineMeeting: false, joinUrl: null });

    // Both providers were asked, Graph in UTC (the server converts with IANA rules itself).
    const [view] = env.microsoft.calls("calendarView");
    expect(view?.prefer).toBe('outlook.timezone="UTC"');
    expect(env.google.calls("events.list")).toHaveLength(1);
  });

  it("answers in a requested zone, and narrows to one provider without asking the other", async () => {
    const user = await env.user("user_list_zone", ["microsoft", "google"]);
    env.google.state.calendars.add(user.googleEmail, {
      title: "Call",
      start: "2027-03-16T14:00:00Z",
      end: "2027-03-16T14:30:00Z",
    });
    env.microsoft.state.calendars.add(user.microsoftEmail, {
      title: "Hidden",
      start: "2027-03-16T10:00:00Z",
      end: "2027-03-16T10:30:00Z",
    });
    const { events } = await user.client.events.list.query({
      ...week,
      provider: "google",
      timeZone: "Asia/Kolkata",
    });
    expect(events.map((event) => [event.title, event.start, event.end])).toEqual([
      ["Call", "2027-03-16T19:30:00+05:30", "2027-03-16T20:00:00+05:30"],
    ]);
    expect(env.microsoft.calls()).toHaveLength(0);
  });

  it("follows every page of both providers (Graph's absolute nextLink, Google's nextPageToken)", async () => {
    const user = await env.user("user_list_pages", ["microsoft", "google"]);
    const hourly = (day: number, count: number, title: string) =>
      Array.from({ length: count }, (_, index) => ({
        title: `${title} ${index + 1}`,
        start: `2027-03-${day}T${String(13 + index).padStart(2, "0")}:00:00Z`,
        end: `2027-03-${day}T${String(13 + index).padStart(2, "0")}:30:00Z`,
      }));
    env.microsoft.state.calendars.add(user.microsoftEmail, ...hourly(16, 7, "MS"));
    env.google.state.calendars.add(user.googleEmail, ...hourly(17, 5, "G"));
    env.microsoft.state.pageSize = 3;
    env.google.state.pageSize = 2;
    try {
      const { events } = await user.client.events.list.query(week);
      expect(events).toHaveLength(12);
      expect(events.filter((event) => event.provider === "microsoft")).toHaveLength(7);
      expect(events.filter((event) => event.provider === "google")).toHaveLength(5);
      expect(new Set(events.map((event) => event.id)).size).toBe(12);
    } finally {
      env.microsoft.state.pageSize = 50;
      env.google.state.pageSize = 250;
    }
    const views = env.microsoft.calls("calendarView");
    expect(views).toHaveLength(3);
    expect(new URL(views[2]?.url ?? "", "http://x").searchParams.get("$skip")).toBe("6");
    const lists = env.google.calls("events.list").map((call) => new URL(call.url, "http://x").searchParams);
    expect(lists).toHaveLength(3);
    expect(lists.map((q) => q.get("pageToken"))).toEqual([null, "p2", "p4"]);
  });

  it("expands recurring series into instances that keep their local time across DST", async () => {
    const user = await env.user("user_list_recurring", ["microsoft", "google"]);
    // Weekly Monday 09:00 Chicago from 1 March 2027: two instances before the DST change, two after.
    env.microsoft.state.calendars.add(user.microsoftEmail, {
      title: "Weekly review",
      start: "2027-03-01T15:00:00Z",
      end: "2027-03-01T15:30:00Z",
      timeZone: "America/Chicago",
      recurrence: { frequency: "weekly", count: 4 },
    });
    // Daily 08:00 London across the UK change on 28 March.
    env.google.state.calendars.add(user.googleEmail, {
      title: "Standup",
      start: "2027-03-26T08:00:00Z",
      end: "2027-03-26T08:15:00Z",
      timeZone: "Europe/London",
      recurrence: { frequency: "daily", count: 4 },
    });
    const { events } = await user.client.events.list.query({
      from: "2027-02-28T00:00:00Z",
      to: "2027-04-01T00:00:00Z",
      timeZone: "Europe/London",
    });
    const listed = (provider: string) =>
      events.filter((event) => event.provider === provider).map((event) => event.start);
    expect(listed("microsoft")).toEqual([
      "2027-03-01T15:00:00Z".replace("Z", "+00:00"),
      "2027-03-08T15:00:00+00:00",
      "2027-03-15T14:00:00+00:00",
      "2027-03-22T14:00:00+00:00",
    ]);
    expect(listed("google")).toEqual([
      "2027-03-26T08:00:00+00:00",
      "2027-03-27T08:00:00+00:00",
      "2027-03-28T08:00:00+01:00",
      "2027-03-29T08:00:00+01:00",
    ]);
    expect(new Set(events.map((event) => event.id)).size).toBe(8);
    const [list] = env.google.calls("events.list");
    const query = new URL(list?.url ?? "", "http://x").searchParams;
    expect(query.get("singleEvents")).toBe("true");
    expect(query.get("orderBy")).toBe("startTime");
  });

  it("lists all-day events as the user's local days, flagged allDay", async () => {
    const user = await env.user("user_list_allday", ["microsoft", "google"]);
    env.microsoft.state.calendars.add(user.microsoftEmail, {
      title: "Holiday",
      start: "2027-03-17",
      end: "2027-03-18",
      allDay: true,
      showAs: "free",
    });
    env.google.state.calendars.add(user.googleEmail, {
      title: "Conference",
      start: "2027-03-18",
      end: "2027-03-20",
      allDay: true,
    });
    const { events } = await user.client.events.list.query(week);
    expect(events.map((event) => [event.title, event.allDay, event.start, event.end])).toEqual([
      ["Holiday", true, "2027-03-17T00:00:00-05:00", "2027-03-18T00:00:00-05:00"],
      ["Conference", true, "2027-03-18T00:00:00-05:00", "2027-03-20T00:00:00-05:00"],
    ]);
    const inKolkata = await user.client.events.list.query({ ...week, timeZone: "Asia/Kolkata" });
    expect(inKolkata.events.map((event) => event.start)).toEqual([
      "2027-03-17T00:00:00+05:30",
      "2027-03-18T00:00:00+05:30",
    ]);
  });

  it("refuses a range over 62 days with BAD_REQUEST naming `to`, and accepts 62 days", async () => {
    const user = await env.user("user_list_range", ["google"]);
    const error = await trpcError(
      user.client.events.list.query({ from: "2027-03-01T00:00:00Z", to: "2027-05-02T00:00:01Z" }),
    );
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toMatch(/^Invalid input: to: range must not exceed 62 days/);
    expect(
      (error.data as { zodError?: { fieldErrors?: Record<string, unknown> } }).zodError?.fieldErrors,
    ).toHaveProperty("to");
    expect(env.google.calls()).toHaveLength(0);
    const ok = await user.client.events.list.query({
      from: "2027-03-01T00:00:00Z",
      to: "2027-05-02T00:00:00Z",
    });
    expect(ok.missingProviders).toEqual([]);

    const backwards = await trpcError(user.client.events.list.query({ from: week.to, to: week.from }));
    expect(backwards.code).toBe("BAD_REQUEST");
    expect(backwards.message).toContain("to: must be after from");
    const naive = await trpcError(
      user.client.events.list.query({ from: "2027-03-01T00:00:00", to: "2027-03-02T00:00:00" }),
    );
    expect(naive.code).toBe("BAD_REQUEST");
  });

  it("answers PRECONDITION_FAILED without a calendar, or for a provider not connected", async () => {
    const none = await env.user("user_list_none", []);
    const error = await trpcError(none.client.events.list.query(week));
    expect(error.code).toBe("PRECONDITION_FAILED");
    expect(error.message).toMatch(/connect a calendar/i);

    const msOnly = await env.user("user_list_ms_only", ["microsoft"]);
    const google = await trpcError(msOnly.client.events.list.query({ ...week, provider: "google" }));
    expect(google.code).toBe("PRECONDITION_FAILED");
    expect(google.message).toContain("Google");
  });

  it("never reaches another user's calendar: user B's calls use only B's tokens and accounts", async () => {
    const a = await env.user("user_list_owner_a", ["microsoft", "google"]);
    const b = await env.user("user_list_owner_b", ["microsoft", "google"]);
    env.microsoft.state.calendars.add(a.microsoftEmail, {
      title: "A private",
      start: "2027-03-16T15:00:00Z",
      end: "2027-03-16T16:00:00Z",
    });
    env.google.state.calendars.add(a.googleEmail, {
      title: "A private too",
      start: "2027-03-16T17:00:00Z",
      end: "2027-03-16T18:00:00Z",
    });
    env.google.state.calendars.add(b.googleEmail, {
      title: "B own",
      start: "2027-03-16T17:00:00Z",
      end: "2027-03-16T18:00:00Z",
    });
    // A asks first, so A's answer sits in the cache when B asks the very same question.
    expect((await a.client.events.list.query(week)).events).toHaveLength(2);
    const tokensOfA = new Set([...env.microsoft.calls(), ...env.google.calls()].map((call) => call.token));
    env.resetCalls();

    const seenByB = await b.client.events.list.query(week);
    expect(seenByB.events.map((event) => event.title)).toEqual(["B own"]);
    const callsOfB = [...env.microsoft.calls(), ...env.google.calls()];
    expect(callsOfB).toHaveLength(2);
    for (const call of callsOfB) {
      expect([b.microsoftEmail, b.googleEmail]).toContain(call.account);
      expect(tokensOfA.has(call.token)).toBe(false);
    }
    // And B's answer carries no token of anyone.
    const json = JSON.stringify(seenByB);
    for (const token of [...env.microsoft.state.issued, ...env.google.state.issued])
      expect(json).not.toContain(token);
  });
});
