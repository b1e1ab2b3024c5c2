// The short per-user cache in front of the providers: repeated questions cost no provider call,
// concurrent ones share one, and a booking or a connection change makes the next answer fresh.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type EventsEnv, startEventsEnv } from "./support/events-env.js";

let env: EventsEnv;
let uncached: EventsEnv;
beforeAll(async () => {
  [env, uncached] = await Promise.all([startEventsEnv(), startEventsEnv({ EVENTS_CACHE_TTL_MS: "0" })]);
});
afterAll(() => Promise.all([env?.close(), uncached?.close()]));
beforeEach(() => {
  env.resetCalls();
  uncached.resetCalls();
});

const tuesday = { from: "2027-03-16T00:00:00-05:00", to: "2027-03-17T00:00:00-05:00", durationMinutes: 30 };
const providerCalls = (on: EventsEnv) => [...on.microsoft.calls(), ...on.google.calls()].map((c) => c.route);

describe("availability cache", () => {
  it("a second identical question makes no provider call; a booking invalidates it", async () => {
    const user = await env.user("user_cache_booking", ["microsoft", "google"]);
    const first = await user.client.events.availability.query(tuesday);
    expect(providerCalls(env).sort()).toEqual(["freeBusy", "getSchedule"]);
    env.resetCalls();

    const second = await user.client.events.availability.query(tuesday);
    expect(second).toEqual(first);
    expect(providerCalls(env)).toEqual([]);

    const [slot] = first.slots;
    await user.client.events.create.mutate({
      title: "Viewing",
      start: slot?.start ?? "",
      end: slot?.end ?? "",
      provider: "google",
    });
    env.resetCalls();
    const third = await user.client.events.availability.query(tuesday);
    expect(providerCalls(env).sort()).toEqual(["freeBusy", "getSchedule"]);
    // The booked slot is gone from the fresh answer.
    expect(third.slots.map((s) => s.start)).not.toContain(slot?.start);
    expect(third.slots).toHaveLength(first.slots.length - 1);
  });

  it('hits for "the next 7 days" asked twice, although the window starts in the past', async () => {
    const user = await env.user("user_cache_relative", ["microsoft", "google"]);
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 7 * 86_400_000).toISOString();
    await user.client.events.availability.query({ from, to, durationMinutes: 30 });
    env.resetCalls();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await user.client.events.availability.query({ from, to, durationMinutes: 30 });
    expect(providerCalls(env)).toEqual([]);
  });

  it("concurrent identical questions share one provider call each", async () => {
    const user = await env.user("user_cache_concurrent", ["microsoft", "google"]);
    env.microsoft.state.api.latencyMs = 100;
    env.google.state.api.latencyMs = 100;
    try {
      const answers = await Promise.all(
        Array.from({ length: 8 }, () => user.client.events.availability.query(tuesday)),
      );
      expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
    } finally {
      env.microsoft.state.api.latencyMs = 0;
      env.google.state.api.latencyMs = 0;
    }
    expect(providerCalls(env).sort()).toEqual(["freeBusy", "getSchedule"]);
  });

  it("is per user: another user's identical question goes to their own calendars", async () => {
    const a = await env.user("user_cache_a", ["google"]);
    const b = await env.user("user_cache_b", ["google"]);
    env.google.state.calendars.add(b.googleEmail, {
      title: "B busy",
      start: "2027-03-16T14:00:00Z",
      end: "2027-03-16T16:00:00Z",
    });
    const ofA = await a.client.events.availability.query(tuesday);
    const ofB = await b.client.events.availability.query(tuesday);
    expect(env.google.calls("freeBusy").map((call) => call.account)).toEqual([a.googleEmail, b.googleEmail]);
    expect(ofB.slots.length).toBe(ofA.slots.length - 4);
  });

  it("a connection change invalidates it: after disconnecting Google only Microsoft is asked", async () => {
    const user = await env.user("user_cache_disconnect", ["microsoft", "google"]);
    await user.client.events.availability.query(tuesday);
    await user.client.calendar.disconnect.mutate({ provider: "google" });
    env.resetCalls();
    const after = await user.client.events.availability.query(tuesday);
    expect(after.missingProviders).toEqual([]);
    expect(providerCalls(env)).toEqual(["getSchedule"]);
  });

  it("a partial answer is not reused: the provider that failed is asked again", async () => {
    const user = await env.user("user_cache_partial", ["microsoft", "google"]);
    env.google.state.api.failures.push({ route: "freeBusy", status: 500 });
    const partial = await user.client.events.availability.query(tuesday);
    expect(partial.missingProviders.map((entry) => entry.provider)).toEqual(["google"]);
    const complete = await user.client.events.availability.query(tuesday);
    expect(complete.missingProviders).toEqual([]);
    // Microsoft's busy time was kept; only Google is asked again.
    expect(providerCalls(env).sort()).toEqual(["freeBusy", "freeBusy", "getSchedule"]);
  });

  it("listings are cached the same way, per zone", async () => {
    const user = await env.user("user_cache_list", ["microsoft", "google"]);
    const week = { from: "2027-03-15T00:00:00-05:00", to: "2027-03-20T00:00:00-05:00" };
    await user.client.events.list.query(week);
    await user.client.events.list.query(week);
    expect(providerCalls(env).sort()).toEqual(["calendarView", "events.list"]);
    await user.client.events.list.query({ ...week, timeZone: "Asia/Kolkata" });
    expect(providerCalls(env)).toHaveLength(4);
  });

  it("EVENTS_CACHE_TTL_MS=0 asks the providers every time", async () => {
    const user = await uncached.user("user_cache_off", ["microsoft", "google"]);
    await user.client.events.availability.query(tuesday);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await user.client.events.availability.query(tuesday);
    expect(providerCalls(uncached).sort()).toEqual(["freeBusy", "freeBusy", "getSchedule", "getSchedule"]);
  });
});
