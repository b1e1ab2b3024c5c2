// The old frontend's paths, against the loopback Microsoft and Google fakes: connect (307), the old
// callback path, status, events, availability, booking with the old query parameters, disconnect.

import { followAuthorization, followCallback } from "@viewings/calendar-sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  frontendUrl,
  type RestCalendarEnv,
  type RestUser,
  startRestCalendarEnv,
} from "./support/rest-calendar-env.js";
import { hoursFromNow, rest } from "./support/rest-client.js";

let env: RestCalendarEnv;
let url: string;
beforeAll(async () => {
  env = await startRestCalendarEnv();
  url = env.server.url;
});
afterAll(() => env?.close());

type Envelope<T> = { success: true; data: T };
interface LegacyStatus {
  provider: string;
  connected: boolean;
  available: boolean;
  account_email: string | null;
  needs_reconnect: boolean;
}
interface LegacyEvent {
  id: string;
  subject: string;
  start_time: string;
  end_time: string;
  location: string | null;
  attendees: Array<{ name: string | null; email: string | null }>;
  is_online_meeting: boolean;
  web_link: string | null;
  provider: string;
}

describe("GET /users/me", () => {
  it("creates and answers the signed-in user in the old snake_case shape", async () => {
    const token = await env.server.clerk.sessionToken("user_legacy_me", {
      claims: { email: "me@example.com", first_name: "Mia" },
    });
    const answer = await rest<Envelope<Record<string, unknown>>>(url, "GET", "/users/me", { token });
    expect(answer.status).toBe(200);
    expect(answer.body.data).toMatchObject({
      clerk_user_id: "user_legacy_me",
      email: "me@example.com",
      first_name: "Mia",
      microsoft_calendar_connected: false,
      google_calendar_connected: false,
    });
  });
});

describe("POST /users/create-from-clerk", () => {
  it("takes created_at as Clerk's milliseconds or as ISO 8601 with an offset", async () => {
    const key = env.server.serviceKey;
    const asMillis = await rest<Envelope<{ created_at: string }>>(url, "POST", "/users/create-from-clerk", {
      token: key,
      body: { clerk_user_id: "user_legacy_ms_time", email: "ms@example.com", created_at: 1_700_000_000_000 },
    });
    expect(asMillis.status).toBe(200);
    expect(Date.parse(asMillis.body.data.created_at)).toBe(1_700_000_000_000);
    const asIso = await rest<Envelope<{ created_at: string }>>(url, "POST", "/users/create-from-clerk", {
      token: key,
      body: {
        clerk_user_id: "user_legacy_iso_time",
        email: "iso@example.com",
        created_at: "2024-01-15T10:30:00-06:00",
      },
    });
    expect(Date.parse(asIso.body.data.created_at)).toBe(Date.parse("2024-01-15T16:30:00Z"));
  });
});

describe("connect, status and disconnect on the old paths", () => {
  it("GET /calendar/auth/start: 307 to Microsoft's authorize URL, back to {redirect_url}/users", async () => {
    const user = await env.user("user_legacy_ms");
    env.microsoft.state.account = { mail: user.email, userPrincipalName: user.email };
    // The old backend's contract: the frontend sends its origin, the browser lands on its /users.
    const redirectUrl = frontendUrl;
    const started = await rest<{ auth_url: string }>(
      url,
      "GET",
      `/calendar/auth/start?redirect_url=${encodeURIComponent(redirectUrl)}`,
      { token: user.token },
    );
    expect(started.status).toBe(307);
    const location = started.headers.get("location") ?? "";
    expect(started.body.auth_url).toBe(location);
    const authorize = new URL(location);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(
      `${env.microsoft.url}/common/oauth2/v2.0/authorize`,
    );
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");

    const { landing } = await followAuthorization(location);
    expect(landing.toString()).toBe(`${frontendUrl}/users?auth=success`);

    const status = await rest<Envelope<LegacyStatus>>(url, "GET", "/calendar/auth/status", {
      token: user.token,
    });
    expect(status.status).toBe(200);
    expect(status.body.data).toMatchObject({
      provider: "microsoft",
      connected: true,
      available: true,
      account_email: user.email,
      needs_reconnect: false,
    });
    const google = await rest<Envelope<LegacyStatus>>(url, "GET", "/calendar/google/auth/status", {
      token: user.token,
    });
    expect(google.body.data).toMatchObject({ provider: "google", connected: false });
  });

  it("GET /calendar/auth/callback is the Microsoft callback under its old path", async () => {
    const user = await env.user("user_legacy_callback");
    const authorize = await fetch(await env.startConnect(user, "microsoft"), { redirect: "manual" });
    const callback = new URL(authorize.headers.get("location") ?? "");
    expect(callback.pathname).toBe("/oauth/microsoft/callback");
    const legacy = new URL(`/calendar/auth/callback${callback.search}`, url);
    const landing = await followCallback(legacy);
    expect(landing.toString()).toBe(`${frontendUrl}/users?auth=success`);
    const me = await rest<Envelope<{ microsoft_calendar_connected: boolean }>>(url, "GET", "/users/me", {
      token: user.token,
    });
    expect(me.body.data.microsoft_calendar_connected).toBe(true);
    // The state is single-use on the alias too.
    expect((await followCallback(legacy)).searchParams.get("auth")).toBe("error");
  });

  it("Google: start, status, disconnect under /calendar/google/auth", async () => {
    const user = await env.user("user_legacy_google", ["google"]);
    const status = await rest<Envelope<LegacyStatus>>(url, "GET", "/calendar/google/auth/status", {
      token: user.token,
    });
    expect(status.body.data).toMatchObject({
      provider: "google",
      connected: true,
      account_email: user.email,
    });

    const removed = await rest<Envelope<LegacyStatus> & { message: string }>(
      url,
      "DELETE",
      "/calendar/google/auth/disconnect",
      { token: user.token },
    );
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ success: true, message: "Calendar disconnected" });
    expect(removed.body.data).toMatchObject({ provider: "google", connected: false });
    expect(env.google.state.revoked.length).toBeGreaterThan(0);
  });

  it("DELETE /calendar/auth/disconnect (Microsoft) clears the flag", async () => {
    const user = await env.user("user_legacy_ms_off", ["microsoft"]);
    const removed = await rest<Envelope<LegacyStatus>>(url, "DELETE", "/calendar/auth/disconnect", {
      token: user.token,
    });
    expect(removed.body.data).toMatchObject({ provider: "microsoft", connected: false });
    const me = await rest<Envelope<{ microsoft_calendar_connected: boolean }>>(url, "GET", "/users/me", {
      token: user.token,
    });
    expect(me.body.data.microsoft_calendar_connected).toBe(false);
  });
});

describe("events, availability and booking on the old paths", () => {
  let user: RestUser;
  beforeAll(async () => {
    user = await env.user("user_legacy_events", ["microsoft", "google"]);
    env.microsoft.state.calendars.add(user.email, {
      title: "Inspection",
      start: hoursFromNow(30),
      end: hoursFromNow(31),
      location: "2 Birch Rd",
      joinUrl: "https://teams.microsoft.com/l/meetup-join/abc",
      attendees: [{ email: "inspector@example.com", name: "Ivy" }],
    });
    env.google.state.calendars.add(user.email, {
      title: "Viewing: 9 Pine St",
      start: hoursFromNow(50),
      end: hoursFromNow(51),
    });
    // Beyond 14 days: not listed by default.
    env.google.state.calendars.add(user.email, {
      title: "Far away",
      start: hoursFromNow(24 * 20),
      end: hoursFromNow(24 * 20 + 1),
    });
  });

  it("GET /calendar/events?days_ahead=14: both calendars, old event shape, sorted", async () => {
    const answer = await rest<Envelope<LegacyEvent[]> & { missing_providers: unknown[] }>(
      url,
      "GET",
      "/calendar/events?days_ahead=14",
      { token: user.token },
    );
    expect(answer.status).toBe(200);
    expect(answer.body.missing_providers).toEqual([]);
    expect(answer.body.data.map((event) => [event.provider, event.subject])).toEqual([
      ["microsoft", "Inspection"],
      ["google", "Viewing: 9 Pine St"],
    ]);
    expect(answer.body.data[0]).toMatchObject({
      location: "2 Birch Rd",
      attendees: [{ name: "Ivy", email: "inspector@example.com" }],
      is_online_meeting: true,
    });
    expect(Object.keys(answer.body.data[0] ?? {}).sort()).toEqual(
      [
        "attendees",
        "end_time",
        "id",
        "is_online_meeting",
        "body",
        "location",
        "provider",
        "start_time",
        "subject",
        "web_link",
      ].sort(),
    );
    const wider = await rest<Envelope<LegacyEvent[]>>(url, "GET", "/calendar/events?days_ahead=30", {
      token: user.token,
    });
    expect(wider.body.data.map((event) => event.subject)).toContain("Far away");
  });

  it("GET /calendar/availability?days_ahead=7&start_hour=9&end_hour=17: old slot shape", async () => {
    const answer = await rest<
      Envelope<
        Array<{ start_time: string; end_time: string; duration_minutes: number; formatted_time: string }>
      > & {
        time_zone: string;
      }
    >(url, "GET", "/calendar/availability?days_ahead=7&start_hour=9&end_hour=17&time_zone=America/Chicago", {
      token: user.token,
    });
    expect(answer.status).toBe(200);
    expect(answer.body.time_zone).toBe("America/Chicago");
    expect(answer.body.data.length).toBeGreaterThan(0);
    for (const slot of answer.body.data) {
      expect(slot.duration_minutes).toBe(30);
      expect(Date.parse(slot.end_time) - Date.parse(slot.start_time)).toBe(30 * 60_000);
      expect(slot.formatted_time).toMatch(
        /^(Monday|Tuesday|Wednesday|Thursday|Friday), \w+ \d{1,2} at \d{1,2}:\d\d (AM|PM)$/,
      );
      const hour = Number(
        new Intl.DateTimeFormat("en-US", {
          timeZone: "America/Chicago",
          hour: "numeric",
          hourCycle: "h23",
        }).format(new Date(slot.start_time)),
      );
      expect(hour).toBeGreaterThanOrEqual(9);
      expect(hour).toBeLessThan(17);
      // The busy Microsoft event is not offered.
      const busyStart = Date.parse(hoursFromNow(30));
      const overlaps =
        Date.parse(slot.start_time) < busyStart + 3_600_000 && Date.parse(slot.end_time) > busyStart;
      expect(overlaps).toBe(false);
    }
  });

  it("POST /calendar/events with the old query parameters books on the first-connected calendar", async () => {
    const start = hoursFromNow(24 * 9);
    const end = new Date(Date.parse(start) + 30 * 60_000).toISOString();
    const query = new URLSearchParams({
      subject: "Property Viewing: 12 Elm St",
      start_time: start,
      end_time: end,
      attendees: "ann@example.com,bob@example.com",
      location: "12 Elm St",
      body: "Bring ID",
    });
    const answer = await rest<Envelope<LegacyEvent>>(url, "POST", `/calendar/events?${query}`, {
      token: user.token,
    });
    expect(answer.status).toBe(200);
    expect(answer.body.data).toMatchObject({
      subject: "Property Viewing: 12 Elm St",
      location: "12 Elm St",
      provider: "microsoft",
      attendees: expect.arrayContaining([expect.objectContaining({ email: "ann@example.com" })]),
    });
    expect(Date.parse(answer.body.data.start_time)).toBe(Date.parse(start));
    const stored = env.microsoft.state.calendars
      .events(user.email)
      .find((event) => event.id === answer.body.data.id);
    expect(stored?.attendees.map((attendee) => attendee.email).sort()).toEqual([
      "ann@example.com",
      "bob@example.com",
    ]);
  });

  it("POST /calendar/events with a JSON body and an Idempotency-Key books once", async () => {
    const start = hoursFromNow(24 * 10);
    const end = new Date(Date.parse(start) + 30 * 60_000).toISOString();
    const call = () =>
      rest<Envelope<LegacyEvent>>(url, "POST", "/calendar/events", {
        token: user.token,
        headers: { "idempotency-key": "booking-42" },
        body: {
          subject: "Viewing: 3 Ash Ct",
          start_time: start,
          end_time: end,
          attendees: [{ email: "tenant@example.com", name: "Tom" }],
          provider: "google",
        },
      });
    const first = await call();
    const second = await call();
    expect(first.status).toBe(200);
    expect(first.body.data).toMatchObject({
      provider: "google",
      attendees: [{ email: "tenant@example.com", name: "Tom" }],
    });
    expect(second.body.data.id).toBe(first.body.data.id);
    expect(
      env.google.state.calendars.events(user.email).filter((event) => event.title === "Viewing: 3 Ash Ct"),
    ).toHaveLength(1);
  });

  it("booking over a busy time: 409, not 200", async () => {
    const answer = await rest(url, "POST", "/calendar/events", {
      token: user.token,
      body: { subject: "Clash", start_time: hoursFromNow(30), end_time: hoursFromNow(31) },
    });
    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({ success: false, code: "CONFLICT" });
  });
});
