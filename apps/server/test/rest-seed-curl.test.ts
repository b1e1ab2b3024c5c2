// The seed's endpoints, called with the curl lines of its guide (only the base URL and key are the
// test server's), authenticated as the old frontend did: Bearer CLERK_SECRET_KEY.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCurl } from "./support/curl.js";
import { hasCurl } from "./support/optional-tools.js";
import { type RestCalendarEnv, startRestCalendarEnv } from "./support/rest-calendar-env.js";
import { hoursFromNow } from "./support/rest-client.js";

let env: RestCalendarEnv;
let vars: Record<string, string>;
beforeAll(async () => {
  // SERVICE_API_KEYS unset: the Clerk secret key is the service key, as the old frontend used it.
  env = await startRestCalendarEnv({ SERVICE_API_KEYS: "" });
  vars = { API_URL: env.server.url, CLERK_SECRET_KEY: env.server.clerk.secretKey };
});
afterAll(() => env?.close());

const createUser = `curl -X POST "$API_URL/users/create-from-clerk" \\
  -H "Authorization: Bearer $CLERK_SECRET_KEY" \\
  -H "Content-Type: application/json" \\
  -d '{"clerk_user_id": "user_2seedJohn", "email": "john@example.com", "first_name": "John", "last_name": "Doe"}'`;

const getUser = `curl "$API_URL/users/by-clerk-id/user_2seedJohn" -H "Authorization: Bearer $CLERK_SECRET_KEY"`;

const setStatus = `curl -X PATCH "$API_URL/users/$USER_ID/calendar-status?provider=microsoft&connected=false" \\
  -H "Authorization: Bearer $CLERK_SECRET_KEY"`;

const listEvents = `curl "$API_URL/calendar/events?user_id=$USER_ID" -H "Authorization: Bearer $CLERK_SECRET_KEY"`;

describe.skipIf(!hasCurl)("the seed guide's curl examples", () => {
  let userId = "";

  it("POST /users/create-from-clerk creates the user: success + snake_case data", async () => {
    const { status, body } = await runCurl(createUser, vars);
    expect(status).toBe(200);
    expect(body).toEqual({
      success: true,
      data: {
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        user_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        clerk_user_id: "user_2seedJohn",
        email: "john@example.com",
        first_name: "John",
        last_name: "Doe",
        full_name: "John Doe",
        created_at: expect.any(String),
        updated_at: expect.any(String),
        microsoft_calendar_connected: false,
        google_calendar_connected: false,
        has_microsoft_calendar: false,
        has_google_calendar: false,
        time_zone: null,
      },
    });
    userId = (body as { data: { id: string } }).data.id;
    // Idempotent: the same call again answers the same user.
    const again = await runCurl(createUser, vars);
    expect((again.body as { data: { id: string } }).data.id).toBe(userId);
  });

  it("GET /users/by-clerk-id/{clerk_user_id} reads it back", async () => {
    const { status, body } = await runCurl(getUser, vars);
    expect(status).toBe(200);
    expect(body).toMatchObject({ success: true, data: { id: userId, clerk_user_id: "user_2seedJohn" } });
  });

  it("GET /calendar/events?user_id= lists that user's events for a service", async () => {
    const john = await env.server.clerk.sessionToken("user_2seedJohn");
    const user = { clerkUserId: "user_2seedJohn", token: john, id: userId, email: "john@example.com" };
    const { followAuthorization } = await import("@viewings/calendar-sandbox");
    const { landing } = await followAuthorization(await env.startConnect(user, "microsoft"));
    expect(landing.searchParams.get("auth")).toBe("success");
    env.microsoft.state.calendars.add("john@example.com", {
      title: "Viewing: 4 Oak Lane",
      start: hoursFromNow(26),
      end: hoursFromNow(27),
      location: "4 Oak Lane",
      attendees: [{ email: "tenant@example.com", name: "Tina Tenant" }],
    });

    const { status, body } = await runCurl(listEvents, { ...vars, USER_ID: userId });
    expect(status).toBe(200);
    expect(body).toMatchObject({ success: true, missing_providers: [] });
    const events = (body as { data: unknown[] }).data;
    expect(events).toEqual([
      {
        id: expect.any(String),
        subject: "Viewing: 4 Oak Lane",
        start_time: expect.any(String),
        end_time: expect.any(String),
        location: "4 Oak Lane",
        attendees: [{ name: "Tina Tenant", email: "tenant@example.com" }],
        is_online_meeting: false,
        web_link: expect.toSatisfy((value: unknown) => value === null || typeof value === "string"),
        body: null,
        provider: "microsoft",
      },
    ]);
    const [event] = events as Array<{ start_time: string }>;
    expect(Date.parse(event?.start_time ?? "")).toBe(Date.parse(hoursFromNow(26)));
  });

  it("PATCH /users/{user_id}/calendar-status?provider=microsoft&connected=false disconnects", async () => {
    const { status, body } = await runCurl(setStatus, { ...vars, USER_ID: userId });
    expect(status).toBe(200);
    expect(body).toEqual({ success: true, message: "Calendar status updated" });
    const after = await runCurl(getUser, vars);
    expect(after.body).toMatchObject({ data: { microsoft_calendar_connected: false } });
  });

  it("the same PATCH with a JSON body", async () => {
    const withBody = `curl -X PATCH "$API_URL/users/$USER_ID/calendar-status" \\
  -H "Authorization: Bearer $CLERK_SECRET_KEY" -H "Content-Type: application/json" \\
  -d '{"provider": "google", "connected": false}'`;
    const { status, body } = await runCurl(withBody, { ...vars, USER_ID: userId });
    expect(status).toBe(200);
    expect(body).toEqual({ success: true, message: "Calendar status updated" });
  });

  it("without the key: 401 {detail: Unauthorized}, like FastAPI", async () => {
    const { status, body } = await runCurl(getUser, {
      ...vars,
      CLERK_SECRET_KEY: "sk_test_wrong_key_000000000000",
    });
    expect(status).toBe(401);
    expect(body).toMatchObject({ detail: "Unauthorized", message: expect.any(String) });
  });
});
