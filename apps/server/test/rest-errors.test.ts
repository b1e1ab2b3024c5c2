// Error answers of the REST routes: never 200; 401 {detail}, 403/404/409 {success:false, error},
// 422 naming each wrong field as the caller sent it; a session's user_id never acts for someone else.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RestCalendarEnv, type RestUser, startRestCalendarEnv } from "./support/rest-calendar-env.js";
import { rest } from "./support/rest-client.js";

let env: RestCalendarEnv;
let url: string;
let key: string;
let ann: RestUser;
let bob: RestUser;
beforeAll(async () => {
  env = await startRestCalendarEnv();
  url = env.server.url;
  key = env.server.serviceKey;
  ann = await env.user("user_err_ann", ["microsoft"]);
  bob = await env.user("user_err_bob", ["google"]);
});
afterAll(() => env?.close());

const every = [
  ["POST", "/users/create-from-clerk"],
  ["GET", "/users/by-clerk-id/user_err_ann"],
  ["PATCH", "/users/00000000-0000-4000-8000-000000000000/calendar-status?provider=google&connected=false"],
  ["GET", "/users/me"],
  ["GET", "/calendar/auth/start"],
  ["GET", "/calendar/google/auth/start"],
  ["GET", "/calendar/auth/status"],
  ["GET", "/calendar/google/auth/status"],
  ["DELETE", "/calendar/auth/disconnect"],
  ["DELETE", "/calendar/google/auth/disconnect"],
  ["GET", "/calendar/events?days_ahead=14"],
  ["GET", "/calendar/availability?days_ahead=7&start_hour=9&end_hour=17"],
  ["POST", "/calendar/events?subject=x"],
  ["PATCH", "/users/by-clerk-id/user_err_ann"],
  ["DELETE", "/users/by-clerk-id/user_err_ann"],
] as const;

describe("401 without valid credentials", () => {
  it.each(every)("%s %s: no header, a garbage token, an expired session", async (method, path) => {
    const expired = await env.server.clerk.sessionToken("user_err_ann", { expiresIn: -60 });
    for (const token of [undefined, "not-a-token", expired]) {
      const answer = await rest(url, method, path, { token });
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({
        detail: "Unauthorized",
        message: "Sign in required: the bearer token is missing or was rejected",
      });
      expect(answer.headers.get("www-authenticate")).toBe("Bearer");
    }
  });
});

describe("403 for the wrong caller", () => {
  it("a signed-in user cannot call the service-only create-from-clerk", async () => {
    const answer = await rest(url, "POST", "/users/create-from-clerk", {
      token: ann.token,
      body: { clerk_user_id: "user_x", email: "x@example.com" },
    });
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ success: false, error: "Service credential required" });
  });

  it("a signed-in user reads only their own user by Clerk id", async () => {
    const answer = await rest(url, "GET", `/users/by-clerk-id/${bob.clerkUserId}`, { token: ann.token });
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ success: false, code: "FORBIDDEN" });
    const own = await rest(url, "GET", `/users/by-clerk-id/${ann.clerkUserId}`, { token: ann.token });
    expect(own.status).toBe(200);
  });

  it("a signed-in user cannot set another user's calendar status", async () => {
    const answer = await rest(
      url,
      "PATCH",
      `/users/${bob.id}/calendar-status?provider=google&connected=false`,
      {
        token: ann.token,
      },
    );
    expect(answer.status).toBe(403);
    const bobStatus = await rest<{ data: { connected: boolean } }>(
      url,
      "GET",
      "/calendar/google/auth/status",
      {
        token: bob.token,
      },
    );
    expect(bobStatus.body.data.connected).toBe(true);
  });

  it("a session's user_id naming someone else is refused on every calendar data route", async () => {
    for (const [method, path] of [
      ["GET", `/calendar/events?user_id=${bob.id}`],
      ["GET", `/calendar/availability?user_id=${bob.id}`],
      [
        "POST",
        `/calendar/events?user_id=${bob.id}&subject=Hijack&start_time=2030-01-07T15:00:00Z&end_time=2030-01-07T15:30:00Z`,
      ],
    ] as const) {
      const answer = await rest(url, method, path, { token: ann.token });
      expect(answer.status, path).toBe(403);
      expect(answer.body).toMatchObject({ success: false, error: "You may only act for yourself" });
    }
    expect(env.google.state.calendars.events(bob.email)).toEqual([]);
  });

  it("a session's own user_id is accepted (it changes nothing)", async () => {
    const answer = await rest(url, "GET", `/calendar/events?user_id=${ann.id}`, { token: ann.token });
    expect(answer.status).toBe(200);
  });

  it("a service must name the user for calendar data", async () => {
    const answer = await rest(url, "GET", "/calendar/events", { token: key });
    expect(answer.status).toBe(403);
    const named = await rest(url, "GET", `/calendar/events?user_id=${ann.id}`, { token: key });
    expect(named.status).toBe(200);
  });
});

describe("404 and 409", () => {
  it("unknown Clerk id, unknown user id", async () => {
    const byClerk = await rest(url, "GET", "/users/by-clerk-id/user_nobody", { token: key });
    expect(byClerk.status).toBe(404);
    expect(byClerk.body).toMatchObject({ success: false, code: "NOT_FOUND" });
    const unknown = "00000000-0000-4000-8000-000000000000";
    const patch = await rest(
      url,
      "PATCH",
      `/users/${unknown}/calendar-status?provider=microsoft&connected=false`,
      {
        token: key,
      },
    );
    expect(patch.status).toBe(404);
    const events = await rest(url, "GET", `/calendar/events?user_id=${unknown}`, { token: key });
    expect(events.status).toBe(404);
  });

  it("an email that belongs to another Clerk user: 409", async () => {
    const answer = await rest(url, "POST", "/users/create-from-clerk", {
      token: key,
      body: { clerk_user_id: "user_err_other", email: ann.email },
    });
    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({ success: false, code: "CONFLICT" });
  });
});

describe("422 naming the field as sent", () => {
  const cases: Array<[string, string, string, unknown, string]> = [
    [
      "POST",
      "/users/create-from-clerk",
      "invalid email",
      { clerk_user_id: "user_v", email: "nope" },
      "email",
    ],
    [
      "POST",
      "/users/create-from-clerk",
      "missing clerk_user_id",
      { email: "v@example.com" },
      "clerk_user_id",
    ],
    [
      "POST",
      "/users/create-from-clerk",
      "naive created_at",
      { clerk_user_id: "user_v", email: "v@example.com", created_at: "2024-01-15T10:30:00" },
      "created_at",
    ],
    [
      "PATCH",
      `/users/USER/calendar-status?provider=yahoo&connected=false`,
      "unknown provider",
      undefined,
      "provider",
    ],
    [
      "PATCH",
      `/users/USER/calendar-status?provider=google&connected=maybe`,
      "connected not a boolean",
      undefined,
      "connected",
    ],
    ["PATCH", `/users/USER/calendar-status?connected=false`, "missing provider", undefined, "provider"],
    [
      "PATCH",
      `/users/not-a-uuid/calendar-status?provider=google&connected=false`,
      "user_id not a uuid",
      undefined,
      "user_id",
    ],
    ["GET", "/calendar/events?days_ahead=0", "days_ahead below 1", undefined, "days_ahead"],
    ["GET", "/calendar/events?days_ahead=400", "days_ahead above the limit", undefined, "days_ahead"],
    ["GET", "/calendar/events?user_id=42", "user_id not a uuid", undefined, "user_id"],
    ["GET", "/calendar/events?time_zone=CST", "ambiguous time zone", undefined, "time_zone"],
    ["GET", "/calendar/availability?start_hour=17&end_hour=9", "end before start", undefined, "end_hour"],
    ["GET", "/calendar/availability?duration_minutes=2", "too short", undefined, "duration_minutes"],
    [
      "POST",
      "/calendar/events?start_time=2030-01-07T15:00:00Z&end_time=2030-01-07T15:30:00Z",
      "missing subject",
      undefined,
      "subject",
    ],
    [
      "POST",
      "/calendar/events?subject=Viewing&start_time=2030-01-07T15:00:00&end_time=2030-01-07T15:30:00Z",
      "naive start",
      undefined,
      "start_time",
    ],
    [
      "POST",
      "/calendar/events?subject=Viewing&start_time=2030-01-07T15:00:00Z&end_time=2030-01-07T14:00:00Z",
      "end before start",
      undefined,
      "end_time",
    ],
    [
      "POST",
      "/calendar/events?subject=Viewing&start_time=2030-01-07T15:00:00Z&end_time=2030-01-07T15:30:00Z&attendees=not-an-email",
      "bad attendee",
      undefined,
      "attendees.0.email",
    ],
    [
      "GET",
      "/calendar/auth/start?redirect_url=https://evil.example/x",
      "foreign redirect_url",
      undefined,
      "redirect_url",
    ],
  ];

  it.each(cases)("%s %s (%s)", async (method, path, _why, body, field) => {
    const token = path.startsWith("/users/create") || path.includes("/calendar-status") ? key : ann.token;
    const answer = await rest<{ success: boolean; error: string; fields: Array<{ field: string }> }>(
      url,
      method,
      path.replace("USER", ann.id),
      { token, body },
    );
    expect(answer.status).toBe(422);
    expect(answer.body.success).toBe(false);
    expect(answer.body.fields.map((problem) => problem.field)).toContain(field);
    expect(answer.body.error).toContain(`${field}: `);
  });

  it("a malformed JSON body", async () => {
    const answer = await rest(url, "POST", "/users/create-from-clerk", { token: key, body: "{not json" });
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ success: false, fields: [{ field: "body" }] });
  });

  it("nothing is booked when the input is invalid", async () => {
    expect(env.microsoft.state.calendars.events(ann.email)).toEqual([]);
  });
});
