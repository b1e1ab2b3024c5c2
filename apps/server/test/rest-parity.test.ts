// A REST route and the tRPC procedure it adapts answer the same data for the same user.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RestCalendarEnv, type RestUser, startRestCalendarEnv } from "./support/rest-calendar-env.js";
import { hoursFromNow, rest } from "./support/rest-client.js";

let env: RestCalendarEnv;
let user: RestUser;
let trpc: ReturnType<RestCalendarEnv["server"]["client"]>;
beforeAll(async () => {
  env = await startRestCalendarEnv();
  user = await env.user("user_parity", ["microsoft", "google"]);
  trpc = env.server.client(user.token);
  env.microsoft.state.calendars.add(
    user.email,
    { title: "Gas check", start: hoursFromNow(28), end: hoursFromNow(29), location: "Flat 3" },
    { title: "Repairs", start: hoursFromNow(74), end: hoursFromNow(76) },
  );
  env.google.state.calendars.add(user.email, {
    title: "Viewing",
    start: hoursFromNow(52),
    end: hoursFromNow(53),
    attendees: [{ email: "t@example.com", name: "T" }],
  });
});
afterAll(() => env?.close());

type Envelope<T> = { data: T };

describe("REST and tRPC agree", () => {
  it("GET /users/me = users.me", async () => {
    const [viaRest, viaTrpc] = await Promise.all([
      rest<Envelope<Record<string, unknown>>>(env.server.url, "GET", "/users/me", { token: user.token }),
      trpc.users.me.query(),
    ]);
    expect(viaRest.body.data).toEqual({
      id: viaTrpc.id,
      user_id: viaTrpc.id,
      full_name: [viaTrpc.firstName, viaTrpc.lastName].filter(Boolean).join(" ") || null,
      has_microsoft_calendar: viaTrpc.microsoftCalendarConnected,
      has_google_calendar: viaTrpc.googleCalendarConnected,
      clerk_user_id: viaTrpc.clerkUserId,
      email: viaTrpc.email,
      first_name: viaTrpc.firstName,
      last_name: viaTrpc.lastName,
      created_at: viaTrpc.createdAt,
      updated_at: viaTrpc.updatedAt,
      microsoft_calendar_connected: viaTrpc.microsoftCalendarConnected,
      google_calendar_connected: viaTrpc.googleCalendarConnected,
      time_zone: viaTrpc.timeZone,
    });
  });

  it("GET /users/by-clerk-id/{id} (service) = users.byClerkId", async () => {
    const viaRest = await rest<Envelope<{ id: string; email: string }>>(
      env.server.url,
      "GET",
      `/users/by-clerk-id/${user.clerkUserId}`,
      { token: env.server.serviceKey },
    );
    const viaTrpc = await env.server.client(env.server.serviceKey).users.byClerkId.query({
      clerkUserId: user.clerkUserId,
    });
    expect(viaRest.body.data).toMatchObject({ id: viaTrpc.id, email: viaTrpc.email });
  });

  it("GET /calendar/auth/status and /calendar/google/auth/status = calendar.status", async () => {
    const statuses = await trpc.calendar.status.query();
    for (const [path, provider] of [
      ["/calendar/auth/status", "microsoft"],
      ["/calendar/google/auth/status", "google"],
    ] as const) {
      const viaRest = await rest<Envelope<Record<string, unknown>>>(env.server.url, "GET", path, {
        token: user.token,
      });
      const viaTrpc = statuses.find((status) => status.provider === provider);
      expect(viaRest.body.data).toEqual({
        provider,
        connected: viaTrpc?.connected,
        available: viaTrpc?.available,
        account_email: viaTrpc?.accountEmail,
        expires_at: viaTrpc?.expiresAt,
        needs_reconnect: viaTrpc?.needsReconnect,
      });
    }
  });

  it("GET /calendar/events = events.list, for the session and for a service acting for the user", async () => {
    const now = Date.now();
    const viaTrpc = await trpc.events.list.query({
      from: new Date(now).toISOString(),
      to: new Date(now + 14 * 86_400_000).toISOString(),
    });
    const expected = viaTrpc.events.map((event) => ({
      id: event.id,
      subject: event.title,
      start_time: event.start,
      end_time: event.end,
      location: event.location,
      attendees: event.attendees.map(({ name, email }) => ({ name, email })),
      is_online_meeting: event.isOnlineMeeting,
      web_link: event.webLink,
      body: null,
      provider: event.provider,
    }));
    expect(expected).toHaveLength(3);
    const asUser = await rest<Envelope<unknown[]>>(env.server.url, "GET", "/calendar/events?days_ahead=14", {
      token: user.token,
    });
    const asService = await rest<Envelope<unknown[]>>(
      env.server.url,
      "GET",
      `/calendar/events?days_ahead=14&user_id=${user.id}`,
      { token: env.server.serviceKey },
    );
    expect(asUser.body.data).toEqual(expected);
    expect(asService.body.data).toEqual(expected);
  });

  it("GET /calendar/availability = events.availability with the same working hours", async () => {
    const viaRest = await rest<
      Envelope<Array<{ start_time: string; end_time: string }>> & { time_zone: string }
    >(env.server.url, "GET", "/calendar/availability?days_ahead=7&start_hour=9&end_hour=17", {
      token: user.token,
    });
    const now = Date.now();
    const viaTrpc = await trpc.events.availability.query({
      from: new Date(now).toISOString(),
      to: new Date(now + 7 * 86_400_000).toISOString(),
      durationMinutes: 30,
      workingHours: { start: "09:00", end: "17:00", days: [1, 2, 3, 4, 5] },
    });
    expect(viaRest.body.time_zone).toBe(viaTrpc.timeZone);
    // The two windows start milliseconds apart; compare away from both ends.
    const inside = (start: string) =>
      Date.parse(start) > now + 3_600_000 && Date.parse(start) < now + 6 * 86_400_000;
    const restSlots = viaRest.body.data.filter((slot) => inside(slot.start_time));
    expect(restSlots.length).toBeGreaterThan(0);
    expect(restSlots.map((slot) => [slot.start_time, slot.end_time])).toEqual(
      viaTrpc.slots.filter((slot) => inside(slot.start)).map((slot) => [slot.start, slot.end]),
    );
  });
});
