// Every call the existing frontend (Mark0025/peterental-nextjs) makes to the backend, sent as its code
// sends it (support/legacy-frontend.ts), against the real server with the loopback Microsoft and Google
// fakes connected through the old connect paths. Each test asserts what the app's code then reads and
// the statuses it branches on (401 "sign in again", !ok, 307 + Location).
import { followAuthorization, followCallback } from "@viewings/calendar-sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LegacyFrontend, legacyFrontend } from "./support/legacy-frontend.js";
import { frontendUrl, type RestCalendarEnv, startRestCalendarEnv } from "./support/rest-calendar-env.js";
import { hoursFromNow } from "./support/rest-client.js";

let env: RestCalendarEnv;
let app: LegacyFrontend;
let secretKey: string;
beforeAll(async () => {
  // No SERVICE_API_KEYS: the default service credential is CLERK_SECRET_KEY, which the app sends.
  env = await startRestCalendarEnv({ SERVICE_API_KEYS: "" });
  app = legacyFrontend(env.server.url);
  secretKey = env.server.clerk.secretKey;
});
afterAll(() => env?.close());

type Json = Record<string, unknown>;

/** A user signed in through the app: the `pete-next` template token it tries first. */
async function appUser(clerkUserId: string, providers: Array<"microsoft" | "google"> = []) {
  const user = await env.user(clerkUserId, providers);
  const token = await env.server.clerk.templateToken(clerkUserId, {
    claims: { email: user.email, first_name: "Pat", last_name: "Lee Owens" },
  });
  return { ...user, token };
}

describe("src/app/api/users/current/route.ts", () => {
  it("GET /users/me (template token): user_id, email, full_name, created_at at the top level", async () => {
    const user = await appUser("user_fe_me");
    const answer = await app.usersMe(user.token);
    expect(answer.status).toBe(200);
    const result = answer.body;
    // `if (!result.user_id)` is the app's error branch; it calls result.user_id.toString().
    expect(typeof result.user_id).toBe("string");
    expect(result.user_id).toBe(user.id);
    expect(result.email).toBe(user.email);
    expect(Number.isNaN(Date.parse(String(result.created_at)))).toBe(false);
    // The session token created the user without names; the full_name split yields nulls then.
    expect(result).toHaveProperty("full_name");
    // The earlier route.ts read the same under `data` after checking `success`.
    expect(result.success).toBe(true);
    expect((result.data as Json).user_id).toBe(user.id);
  });

  it("full_name splits as the app splits it (first word, then the rest)", async () => {
    const token = await env.server.clerk.templateToken("user_fe_names", {
      claims: { email: "names@example.com", first_name: "Mark", last_name: "van Carpenter" },
    });
    const result = (await app.usersMe(token)).body;
    const parts = String(result.full_name).trim().split(/\s+/);
    expect(parts[0]).toBe("Mark");
    expect(parts.slice(1).join(" ")).toBe("van Carpenter");
  });

  it("its error branch reads detail or error: a rejected token answers 401 with both readable", async () => {
    const answer = await app.usersMe("not-a-token");
    expect(answer.status).toBe(401);
    expect(answer.body.detail ?? answer.body.error).toBeTruthy();
    expect(answer.body.message).toBeTruthy();
  });

  it("GET /users/by-clerk-id/{userId} with the user's own token (the earlier route.ts)", async () => {
    const user = await appUser("user_fe_byid");
    const answer = await app.userByClerkId(user.token, user.clerkUserId);
    expect(answer.status).toBe(200);
    expect(answer.body.success).toBe(true);
    expect(answer.body.data).toMatchObject({ user_id: user.id, email: user.email });
    expect(answer.body.data).toHaveProperty("full_name");
    expect(answer.body.data).toHaveProperty("created_at");
  });
});

describe("calendar status (user-provider.tsx, route.ts, dashboard.ts)", () => {
  it("nothing connected: authorized false, provider null, the user's own email", async () => {
    const user = await appUser("user_fe_none");
    const answer = await app.calendarStatus(user.token);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      authorized: false,
      provider: null,
      calendar_email: null,
      user_email: user.email,
      user_id: user.id,
    });
  });

  it("Microsoft connected: authorized, provider microsoft, calendar_email, expires_at", async () => {
    const user = await appUser("user_fe_ms", ["microsoft"]);
    const status = (await app.calendarStatus(user.token)).body;
    expect(status).toMatchObject({
      authorized: true,
      token_valid: true,
      provider: "microsoft",
      calendar_email: user.email,
    });
    expect(Date.parse(String(status.expires_at))).toBeGreaterThan(Date.now());
  });

  it("only Google connected: the generic path reports Google (route.ts: provider === 'google')", async () => {
    const user = await appUser("user_fe_google_only", ["google"]);
    const status = (await app.calendarStatus(user.token)).body;
    expect(status).toMatchObject({ authorized: true, provider: "google", calendar_email: user.email });
    // route.ts's mapping: google_calendar_connected = authorized && provider === 'google'.
    expect(status.authorized && status.provider === "google").toBe(true);
    expect(status.authorized && (status.provider === "microsoft" || !status.provider)).toBe(false);
    // The per-provider path reports its own.
    const google = (await app.googleStatus(user.token)).body;
    expect(google).toMatchObject({ authorized: true, provider: "google" });
  });

  it("both connected (dashboard.ts asks both): each path reports its own provider", async () => {
    const user = await appUser("user_fe_both", ["microsoft", "google"]);
    const [ms, google] = await Promise.all([app.calendarStatus(user.token), app.googleStatus(user.token)]);
    expect(ms.body).toMatchObject({ authorized: true, provider: "microsoft", calendar_email: user.email });
    expect(google.body).toMatchObject({ authorized: true, provider: "google", calendar_email: user.email });
  });

  it("401 branch: 'Unauthorized - please sign in again'", async () => {
    expect((await app.calendarStatus(null)).status).toBe(401);
    expect((await app.googleStatus("garbage")).status).toBe(401);
  });
});

describe("connect (getCalendarAuthURL) and the OAuth return to /users", () => {
  it("Microsoft: 307 with Location; after consent the browser lands on {FRONTEND_URL}/users?auth=success", async () => {
    const user = await appUser("user_fe_connect_ms");
    env.microsoft.state.account = { mail: user.email, userPrincipalName: user.email };
    const started = await app.authStart(user.token, "microsoft");
    expect(started.status).toBe(307);
    const location = started.headers.get("location");
    expect(location?.startsWith(env.microsoft.url)).toBe(true);
    const { landing } = await followAuthorization(location ?? "");
    expect(landing.toString()).toBe(`${frontendUrl}/users?auth=success`);
    expect((await app.calendarStatus(user.token)).body).toMatchObject({ authorized: true });
  });

  it("Google with redirect_url = the app's origin: lands on {redirect_url}/users?auth=success", async () => {
    const user = await appUser("user_fe_connect_google");
    env.google.state.email = user.email;
    const started = await app.authStart(
      user.token,
      "google",
      `?redirect_url=${encodeURIComponent(frontendUrl)}`,
    );
    expect(started.status).toBe(307);
    const { landing } = await followAuthorization(started.headers.get("location") ?? "");
    expect(landing.toString()).toBe(`${frontendUrl}/users?auth=success`);
  });

  it("refused consent: lands on /users?auth=error&message=... (the users page shows message)", async () => {
    const user = await appUser("user_fe_connect_denied");
    const started = await app.authStart(user.token, "microsoft");
    const authorize = new URL(started.headers.get("location") ?? "");
    const callback = new URL(authorize.searchParams.get("redirect_uri") ?? "");
    callback.searchParams.set("error", "access_denied");
    callback.searchParams.set("state", authorize.searchParams.get("state") ?? "");
    const landing = await followCallback(callback);
    expect(`${landing.origin}${landing.pathname}`).toBe(`${frontendUrl}/users`);
    expect(landing.searchParams.get("auth")).toBe("error");
    expect(landing.searchParams.get("message")).toBeTruthy();
  });

  it("401 branch", async () => {
    expect((await app.authStart(null, "microsoft")).status).toBe(401);
    expect((await app.authStart(null, "google")).status).toBe(401);
  });
});

describe("events, availability, booking (calendar/events/page.tsx, appointments/page.tsx)", () => {
  let token: string;
  let email: string;
  beforeAll(async () => {
    const user = await appUser("user_fe_events", ["microsoft"]);
    token = user.token;
    email = user.email;
    env.microsoft.state.calendars.add(email, {
      title: "Walkthrough",
      start: hoursFromNow(26),
      end: hoursFromNow(27),
      location: "4 Oak Ave",
      attendees: [{ email: "tenant@example.com", name: "Tia" }],
    });
  });

  it("getCalendarEvents(14): events with the fields the pages render", async () => {
    const answer = await app.events(token, 14);
    expect(answer.status).toBe(200);
    const events = answer.body.events as Json[];
    expect(events.map((event) => event.subject)).toContain("Walkthrough");
    const event = events.find((item) => item.subject === "Walkthrough") as Json;
    expect(event).toMatchObject({
      location: "4 Oak Ave",
      attendees: [{ name: "Tia", email: "tenant@example.com" }],
    });
    for (const field of ["id", "start_time", "end_time", "body"]) expect(event).toHaveProperty(field);
    expect(Number.isNaN(new Date(String(event.start_time)).getTime())).toBe(false);
    expect(answer.body.status).toBe("success");
  });

  it("getAvailability(7, 9, 17): available_slots with start_time, end_time, formatted_time, day", async () => {
    const answer = await app.availability(token, 7, 9, 17);
    expect(answer.status).toBe(200);
    const slots = answer.body.available_slots as Json[];
    expect(slots.length).toBeGreaterThan(0);
    for (const slot of slots) {
      expect(String(slot.formatted_time)).toMatch(/^\w+day, \w+ \d{1,2} at \d{1,2}:\d\d (AM|PM)$/);
      expect(String(slot.formatted_time).startsWith(String(slot.day))).toBe(true);
      expect(Date.parse(String(slot.end_time))).toBeGreaterThan(Date.parse(String(slot.start_time)));
    }
  });

  it("createCalendarEvent: query parameters, JSON content type, no body; books on the calendar", async () => {
    const slots = (await app.availability(token, 7, 9, 17)).body.available_slots as Json[];
    const slot = slots.at(-1) as Json;
    const answer = await app.createEvent(token, {
      subject: "Property Viewing - 12 Elm St",
      start_time: String(slot.start_time),
      end_time: String(slot.end_time),
      body: "Property viewing appointment for 12 Elm St\n\nAttendee: Ann (ann@example.com)",
      attendee_email: "ann@example.com",
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: "success", success: true });
    expect(answer.body.event).toMatchObject({
      subject: "Property Viewing - 12 Elm St",
      attendees: [expect.objectContaining({ email: "ann@example.com" })],
      body: expect.stringContaining("12 Elm St"),
    });
    const stored = env.microsoft.state.calendars.events(email);
    expect(stored.filter((event) => event.title === "Property Viewing - 12 Elm St")).toHaveLength(1);
    // The page reloads: the booking is listed and its slot is no longer offered.
    const events = (await app.events(token, 14)).body.events as Json[];
    expect(events.map((event) => event.subject)).toContain("Property Viewing - 12 Elm St");
    const after = (await app.availability(token, 7, 9, 17)).body.available_slots as Json[];
    expect(after.map((item) => item.start_time)).not.toContain(slot.start_time);
  });

  it("createCalendarEvent's error branch shows `message`: a taken slot answers 409 with it", async () => {
    const answer = await app.createEvent(token, {
      subject: "Clash",
      start_time: hoursFromNow(26),
      end_time: hoursFromNow(27),
    });
    expect(answer.status).toBe(409);
    expect(typeof answer.body.message).toBe("string");
    expect(String(answer.body.message).length).toBeGreaterThan(0);
  });

  it("invalid input: 422 with `message` naming the field as sent", async () => {
    const answer = await app.createEvent(token, {
      subject: "Viewing",
      start_time: "2030-01-07T15:00:00",
      end_time: "2030-01-07T15:30:00Z",
    });
    expect(answer.status).toBe(422);
    expect(String(answer.body.message)).toContain("start_time");
  });

  it("401 branches of all three", async () => {
    expect((await app.events(null)).status).toBe(401);
    expect((await app.availability(null)).status).toBe(401);
    const booking = { subject: "x", start_time: hoursFromNow(50), end_time: hoursFromNow(51) };
    expect((await app.createEvent(null, booking)).status).toBe(401);
  });
});

describe("disconnectCalendar(provider)", () => {
  it("Microsoft, then Google: success and message; the status follows", async () => {
    const user = await appUser("user_fe_disconnect", ["microsoft", "google"]);
    const ms = await app.disconnect(user.token, "microsoft");
    expect(ms.status).toBe(200);
    expect(ms.body).toMatchObject({ success: true, message: expect.any(String) });
    // Google is still connected, so the generic status now reports it.
    expect((await app.calendarStatus(user.token)).body).toMatchObject({
      authorized: true,
      provider: "google",
    });
    const google = await app.disconnect(user.token, "google");
    expect(google.body).toMatchObject({ success: true, message: expect.any(String) });
    expect((await app.calendarStatus(user.token)).body).toMatchObject({ authorized: false, provider: null });
  });

  it("401 branch", async () => {
    expect((await app.disconnect(null, "microsoft")).status).toBe(401);
  });
});

describe("server-to-server user sync with the Clerk secret key (src/lib/auth/*)", () => {
  it("createUserInDatabase: POST /users/create-from-clerk, reads data.id", async () => {
    const answer = await app.createFromClerk(secretKey, {
      clerk_user_id: "user_fe_created",
      email: "created@example.com",
      first_name: "Cam",
      last_name: "Reed",
      created_at: new Date(1_700_000_000_000).toISOString(),
    });
    expect(answer.status).toBe(200);
    expect((answer.body.data as Json).id).toEqual(expect.any(String));
  });

  it("getCurrentUser: GET /users/by-clerk-id/{id}, reads data as its DatabaseUser", async () => {
    const answer = await app.userByClerkId(secretKey, "user_fe_created");
    expect(answer.status).toBe(200);
    expect(answer.body.data).toMatchObject({
      clerk_user_id: "user_fe_created",
      email: "created@example.com",
      first_name: "Cam",
      last_name: "Reed",
      microsoft_calendar_connected: false,
      google_calendar_connected: false,
    });
    expect(answer.body.data).toHaveProperty("id");
    expect(answer.body.data).toHaveProperty("updated_at");
  });

  it("updateUserCalendarStatus: PATCH /users/{id}/calendar-status with a JSON body", async () => {
    const user = await appUser("user_fe_flag", ["google"]);
    const answer = await app.setCalendarStatus(secretKey, user.id, "google", false);
    expect(answer.status).toBe(200);
    expect((await app.calendarStatus(user.token)).body).toMatchObject({ authorized: false });
  });
});

describe("refused on purpose: ?user_id=<email> without a credential (the old backend's hole)", () => {
  it("the earlier route.ts's status check answers 401, which the app reads as 'not connected'", async () => {
    const user = await appUser("user_fe_hole", ["microsoft"]);
    const answer = await app.statusByEmail(user.email);
    expect(answer.status).toBe(401);
    expect(answer.body.message).toBeTruthy();
  });

  it.each([
    ["GET", "/calendar/events?user_id=victim@example.com&days_ahead=14"],
    ["GET", "/calendar/availability?user_id=victim@example.com&days_ahead=7"],
    ["GET", "/calendar/auth/start?user_id=victim@example.com"],
  ])("%s %s: 401", async (method, path) => {
    const response = await fetch(`${env.server.url}${path}`, { method, redirect: "manual" });
    expect(response.status).toBe(401);
  });

  it("lib/api/calendar.ts createEvent (JSON body with user_id, no credential): 401, nothing booked", async () => {
    const response = await fetch(`${env.server.url}/calendar/events`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        user_id: "victim@example.com",
        subject: "x",
        start_time: hoursFromNow(40),
        end_time: hoursFromNow(41),
      }),
    });
    expect(response.status).toBe(401);
  });
});
