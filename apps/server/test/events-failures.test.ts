// Provider failures as the caller sees them: throttling honoured then surfaced, one provider down or
// hanging leaves the other's data (missingProviders), refused access tokens renewed mid-request.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type EventsEnv, startEventsEnv } from "./support/events-env.js";
import { trpcError } from "./support/expect-trpc-error.js";

let env: EventsEnv;
beforeAll(async () => {
  // A short deadline so hanging providers cost the suite little; HTTP timeout above it on purpose.
  env = await startEventsEnv({ CALENDAR_DEADLINE_MS: "1500", CALENDAR_HTTP_TIMEOUT_MS: "4000" });
});
afterAll(() => env?.close());
beforeEach(() => env.resetCalls());

const week = { from: "2027-03-15T00:00:00-05:00", to: "2027-03-20T00:00:00-05:00" };
const tuesday = { from: "2027-03-16T00:00:00-05:00", to: "2027-03-17T00:00:00-05:00", durationMinutes: 60 };

async function userWithEvents(name: string) {
  const user = await env.user(name, ["microsoft", "google"]);
  env.microsoft.state.calendars.add(user.microsoftEmail, {
    title: "From Microsoft",
    start: "2027-03-16T15:00:00Z",
    end: "2027-03-16T16:00:00Z",
  });
  env.google.state.calendars.add(user.googleEmail, {
    title: "From Google",
    start: "2027-03-16T17:00:00Z",
    end: "2027-03-16T18:00:00Z",
  });
  return user;
}

describe("throttling", () => {
  it("waits out a 429's Retry-After and then answers (Google freeBusy, Graph calendarView)", async () => {
    const user = await userWithEvents("user_fail_429");
    env.google.state.api.failures.push({ route: "freeBusy", status: 429, retryAfter: "1" });
    const started = performance.now();
    const answer = await user.client.events.availability.query(tuesday);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(answer.missingProviders).toEqual([]);
    expect(env.google.calls("freeBusy").map((call) => call.status)).toEqual([429, 200]);
    // 15:00-16:00Z and 17:00-18:00Z are 10:00 and 12:00 in Chicago.
    expect(answer.slots.map((slot) => slot.start.slice(11, 16))).toEqual([
      "09:00",
      "11:00",
      "13:00",
      "14:00",
      "15:00",
      "16:00",
    ]);

    env.microsoft.state.api.failures.push({ route: "calendarView", status: 429, retryAfter: "1" });
    const listed = await user.client.events.list.query(week);
    expect(listed.events.map((event) => event.title)).toEqual(["From Microsoft", "From Google"]);
    expect(env.microsoft.calls("calendarView").map((call) => call.status)).toEqual([429, 200]);
  });

  it("still throttled after the retries: TOO_MANY_REQUESTS alone, missingProviders beside another", async () => {
    const user = await userWithEvents("user_fail_429_exhausted");
    const throttle = () =>
      env.google.state.api.failures.push(
        ...Array.from({ length: 3 }, () => ({ route: "events.list", status: 429, retryAfter: "0" })),
      );
    throttle();
    const alone = await trpcError(user.client.events.list.query({ ...week, provider: "google" }));
    expect(alone.code).toBe("TOO_MANY_REQUESTS");
    expect(env.google.calls("events.list")).toHaveLength(3); // the first try and two retries

    throttle();
    const partial = await user.client.events.list.query({ ...week, timeZone: "UTC" });
    expect(partial.events.map((event) => event.title)).toEqual(["From Microsoft"]);
    expect(partial.missingProviders).toEqual([
      { provider: "google", reason: "throttled", message: expect.stringContaining("Google") },
    ]);
  });

  it("does not sit out a Retry-After longer than the caller can wait (Google's 403 rateLimitExceeded)", async () => {
    const user = await userWithEvents("user_fail_long_retry");
    env.google.state.api.failures.push({ route: "events.list", status: 403, retryAfter: "120" });
    const started = performance.now();
    const error = await trpcError(user.client.events.list.query({ ...week, provider: "google" }));
    expect(error.code).toBe("TOO_MANY_REQUESTS");
    expect(performance.now() - started).toBeLessThan(1000);
    expect(env.google.calls("events.list")).toHaveLength(1);
  });
});

describe("a provider down or slow", () => {
  it("one provider failing does not hide the other's events; both failing is SERVICE_UNAVAILABLE", async () => {
    const user = await userWithEvents("user_fail_down");
    env.google.state.api.failures.push({ route: "events.list", status: 500 });
    const partial = await user.client.events.list.query(week);
    expect(partial.events.map((event) => event.title)).toEqual(["From Microsoft"]);
    expect(partial.missingProviders).toEqual([
      { provider: "google", reason: "unavailable", message: "Google calendar is unavailable right now" },
    ]);

    // Availability from the calendar that answered, and says which one did not.
    env.microsoft.state.api.failures.push({ route: "getSchedule", status: 500 });
    env.microsoft.state.api.failures.push({ route: "calendarView", status: 500 });
    const slots = await user.client.events.availability.query(tuesday);
    expect(slots.missingProviders.map((entry) => entry.provider)).toEqual(["microsoft"]);
    expect(slots.slots).toHaveLength(7); // only Google's 12:00 is busy

    env.google.state.api.failures.push({ route: "events.list", status: 500 });
    env.microsoft.state.api.failures.push({ route: "calendarView", status: 500 });
    const none = await trpcError(
      user.client.events.list.query({ ...week, from: "2027-03-15T01:00:00-05:00" }),
    );
    expect(none.code).toBe("SERVICE_UNAVAILABLE");
  });

  it("a provider answering 503 until the retries run out is unavailable, not throttling", async () => {
    const user = await userWithEvents("user_fail_503");
    env.google.state.api.failures.push(
      ...Array.from({ length: 3 }, () => ({ route: "events.list", status: 503, retryAfter: "0" })),
    );
    const partial = await user.client.events.list.query(week);
    expect(partial.missingProviders).toEqual([
      { provider: "google", reason: "unavailable", message: "Google calendar is unavailable right now" },
    ]);
    expect(env.google.calls("events.list")).toHaveLength(3);
  });

  it("a hanging provider is left out at the deadline (timeout); both hanging is TIMEOUT", async () => {
    const user = await userWithEvents("user_fail_hang");
    env.google.state.api.failures.push({ route: "events.list", hang: true });
    const started = performance.now();
    const partial = await user.client.events.list.query(week);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(1400);
    expect(elapsed).toBeLessThan(3000);
    expect(partial.events.map((event) => event.title)).toEqual(["From Microsoft"]);
    expect(partial.missingProviders).toEqual([
      { provider: "google", reason: "timeout", message: "Google did not answer in time" },
    ]);

    env.google.state.api.failures.push({ route: "events.list", hang: true });
    env.microsoft.state.api.failures.push({ route: "calendarView", hang: true });
    const none = await trpcError(user.client.events.list.query({ ...week, timeZone: "Europe/London" }));
    expect(none.code).toBe("TIMEOUT");
  });

  it("providers are asked in parallel: two 600 ms providers answer in well under 1200 ms", async () => {
    const user = await userWithEvents("user_fail_parallel");
    env.microsoft.state.api.latencyMs = 600;
    env.google.state.api.latencyMs = 600;
    try {
      const started = performance.now();
      const answer = await user.client.events.availability.query(tuesday);
      const elapsed = performance.now() - started;
      expect(answer.missingProviders).toEqual([]);
      expect(elapsed).toBeGreaterThanOrEqual(600);
      expect(elapsed).toBeLessThan(1000);
    } finally {
      env.microsoft.state.api.latencyMs = 0;
      env.google.state.api.latencyMs = 0;
    }
  });
});

describe("access tokens", () => {
  it("a token the provider refuses mid-request is renewed once and the call retried", async () => {
    const user = await userWithEvents("user_fail_expired");
    const [before] = await env.server.db.userCalendarConnection.findMany({
      where: { userId: user.id, provider: "microsoft" },
    });
    const refreshes = env.microsoft.refreshRequests();
    env.microsoft.revokeAccessTokens(); // stored token still "valid for an hour" in the database
    const listed = await user.client.events.list.query(week);
    expect(listed.events.map((event) => event.title)).toEqual(["From Microsoft", "From Google"]);
    expect(listed.missingProviders).toEqual([]);
    expect(env.microsoft.refreshRequests()).toBe(refreshes + 1);
    const views = env.microsoft.calls("calendarView");
    expect(views.map((call) => call.status)).toEqual([401, 200]);
    expect(views[1]?.token).not.toBe(views[0]?.token);
    const [after] = await env.server.db.userCalendarConnection.findMany({
      where: { userId: user.id, provider: "microsoft" },
    });
    expect(after?.accessToken).not.toBe(before?.accessToken);
    expect(after?.needsReconnect).toBe(false);

    // The same for Google's freeBusy, on the availability path.
    env.google.revokeAccessTokens();
    const slots = await user.client.events.availability.query(tuesday);
    expect(slots.missingProviders).toEqual([]);
    expect(env.google.calls("freeBusy").map((call) => call.status)).toEqual([401, 200]);
  });

  it("concurrent identical questions sharing one load all survive a refused token", async () => {
    const user = await userWithEvents("user_fail_expired_concurrent");
    await user.client.events.list.query({ ...week, timeZone: "UTC" }); // warm the connection cache
    env.resetCalls();
    env.microsoft.revokeAccessTokens();
    env.microsoft.state.api.latencyMs = 100;
    try {
      const answers = await Promise.all(
        Array.from({ length: 6 }, () => user.client.events.availability.query(tuesday)),
      );
      for (const answer of answers) expect(answer.missingProviders).toEqual([]);
    } finally {
      env.microsoft.state.api.latencyMs = 0;
    }
    expect(env.microsoft.calls("getSchedule").map((call) => call.status)).toEqual([401, 200]);
  });

  it("a revoked grant: needs_reconnect in missingProviders, PRECONDITION_FAILED when it is the only one", async () => {
    const user = await userWithEvents("user_fail_revoked");
    env.google.revokeAccessTokens();
    env.google.revokeAllGrants();
    const partial = await user.client.events.list.query(week);
    expect(partial.events.map((event) => event.title)).toEqual(["From Microsoft"]);
    expect(partial.missingProviders).toEqual([
      { provider: "google", reason: "needs_reconnect", message: "Reconnect your Google calendar" },
    ]);
    const [status] = (await user.client.calendar.status.query()).filter(
      (entry) => entry.provider === "google",
    );
    expect(status?.needsReconnect).toBe(true);

    const alone = await trpcError(user.client.events.list.query({ ...week, provider: "google" }));
    expect(alone.code).toBe("PRECONDITION_FAILED");
    expect(alone.message).toBe("Reconnect your Google calendar");
    const booking = await trpcError(
      user.client.events.create.mutate({
        title: "Viewing",
        start: "2027-03-16T13:00:00-05:00",
        end: "2027-03-16T13:30:00-05:00",
        provider: "google",
      }),
    );
    expect(booking.code).toBe("PRECONDITION_FAILED");
  });
});

describe("malformed answers", () => {
  const viewing = {
    title: "Property Viewing: 12 Elm St",
    start: "2027-03-16T10:00:00-05:00",
    end: "2027-03-16T10:30:00-05:00",
    attendees: [{ email: "tenant@example.com" }],
  };
  // Wrong in a field this backend reads: an event without a usable start, an id that is not a string.
  const badGoogleList = { items: [{ id: "evt1", start: { dateTime: "tomorrow" }, end: {} }] };
  const badGraphList = { value: [{ id: 42, subject: "x" }] };

  it("a malformed event list leaves that provider out as unavailable; alone it is SERVICE_UNAVAILABLE", async () => {
    const user = await userWithEvents("user_fail_malformed_list");
    env.google.state.api.failures.push({ route: "events.list", status: 200, body: badGoogleList });
    const partial = await user.client.events.list.query({ ...week, timeZone: "UTC" });
    expect(partial.events.map((event) => event.title)).toEqual(["From Microsoft"]);
    expect(partial.missingProviders).toEqual([
      { provider: "google", reason: "unavailable", message: expect.stringContaining("Google") },
    ]);

    env.microsoft.state.api.failures.push({ route: "calendarView", status: 200, body: badGraphList });
    const alone = await trpcError(user.client.events.list.query({ ...week, provider: "microsoft" }));
    expect(alone.code).toBe("SERVICE_UNAVAILABLE");
  });

  it("a malformed answer to a create is SERVICE_UNAVAILABLE, and the event it may have made is undone", async () => {
    const user = await env.user("user_fail_malformed_create", ["microsoft", "google"]);
    env.google.state.api.failures.push({
      route: "events.insert",
      status: 200,
      body: { id: 7, start: "soon" },
      afterWork: true,
    });
    const google = await trpcError(user.client.events.create.mutate({ ...viewing, provider: "google" }));
    expect(google.code).toBe("SERVICE_UNAVAILABLE");
    expect(env.google.state.calendars.events(user.googleEmail)).toHaveLength(0);

    env.microsoft.state.api.failures.push({
      route: "createEvent",
      status: 201,
      body: { id: "AAMk-made", start: { dateTime: 5 } },
      afterWork: true,
    });
    const microsoft = await trpcError(
      user.client.events.create.mutate({ ...viewing, provider: "microsoft" }),
    );
    expect(microsoft.code).toBe("SERVICE_UNAVAILABLE");
    expect(env.microsoft.state.calendars.events(user.microsoftEmail)).toHaveLength(0);
  });
});
