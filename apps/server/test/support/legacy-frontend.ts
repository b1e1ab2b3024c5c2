/**
 * The existing Next.js frontend's backend calls (Mark0025/peterental-nextjs), each sent exactly as its
 * code sends it: the same method, path, query, body and headers. Server actions send
 * `Authorization: Bearer <token>` and `Content-Type: application/json` on every call, GETs and
 * DELETEs too (src/actions/calendar-actions.ts getAuthHeaders); server-to-server calls send the Clerk
 * secret key as the bearer (src/lib/auth/*). Tests assert on the fields the app then reads.
 */
import { type RestResponse, rest } from "./rest-client.js";

type Json = Record<string, unknown>;

const appHeaders = { "content-type": "application/json" };

export function legacyFrontend(apiUrl: string) {
  /** A server action's call: bearer (template token, else session token) and the JSON content type. */
  const action = <T = Json>(method: string, path: string, token: string | null, body?: unknown) =>
    rest<T>(apiUrl, method, path, { token, headers: appHeaders, ...(body !== undefined ? { body } : {}) });

  return {
    /** src/app/api/users/current/route.ts (current): reads user_id, email, full_name, created_at. */
    usersMe: (token: string | null) => action("GET", "/users/me", token),
    /** src/app/api/users/current/route.ts (earlier): reads success, data.user_id, data.email, data.full_name. */
    userByClerkId: (token: string | null, clerkUserId: string) =>
      action("GET", `/users/by-clerk-id/${clerkUserId}`, token),
    /** The earlier route.ts's status check: `?user_id=<email>`, no credential at all. */
    statusByEmail: (email: string) =>
      rest(apiUrl, "GET", `/calendar/auth/status?user_id=${email}`, { headers: appHeaders }),
    /** checkCalendarAuth (user-provider.tsx), route.ts, dashboard.ts: authorized, calendar_email, provider... */
    calendarStatus: (token: string | null) => action("GET", "/calendar/auth/status", token),
    /** dashboard.ts: the Google status beside the generic one. */
    googleStatus: (token: string | null) => action("GET", "/calendar/google/auth/status", token),
    /** getCalendarAuthURL(provider): `redirect: 'manual'`, reads the Location of the 307. */
    authStart: (token: string | null, provider: "microsoft" | "google" = "microsoft", query = "") =>
      action(
        "GET",
        `${provider === "google" ? "/calendar/google/auth/start" : "/calendar/auth/start"}${query}`,
        token,
      ),
    /** getCalendarEvents(daysAhead): reads events (id, subject, start_time, end_time, location, attendees, body). */
    events: (token: string | null, daysAhead = 14) =>
      action("GET", `/calendar/events?${new URLSearchParams({ days_ahead: String(daysAhead) })}`, token),
    /** getAvailability(daysAhead, startHour, endHour): reads available_slots (formatted_time, day...). */
    availability: (token: string | null, daysAhead = 7, startHour = 9, endHour = 17) =>
      action(
        "GET",
        `/calendar/availability?${new URLSearchParams({
          days_ahead: String(daysAhead),
          start_hour: String(startHour),
          end_hour: String(endHour),
        })}`,
        token,
      ),
    /** createCalendarEvent: the fields as query parameters, no body; on failure reads `message`. */
    createEvent: (
      token: string | null,
      request: {
        subject: string;
        start_time: string;
        end_time: string;
        body?: string;
        attendee_email?: string;
      },
    ) => action("POST", `/calendar/events?${new URLSearchParams(request)}`, token),
    /** disconnectCalendar(provider): reads success and message; on failure `message`. */
    disconnect: (token: string | null, provider: "microsoft" | "google" = "microsoft") =>
      action(
        "DELETE",
        provider === "google" ? "/calendar/google/auth/disconnect" : "/calendar/auth/disconnect",
        token,
      ),
    /** user-sync.ts createUserInDatabase (the webhook's user.created): reads data.id. */
    createFromClerk: (secretKey: string, payload: Json) =>
      action("POST", "/users/create-from-clerk", secretKey, payload),
    /** user-sync.ts updateUserCalendarStatus: JSON {provider, connected}; reads only response.ok. */
    setCalendarStatus: (secretKey: string, userId: string, provider: string, connected: boolean) =>
      action("PATCH", `/users/${userId}/calendar-status`, secretKey, { provider, connected }),
    /** clerk-webhooks.ts user.updated: JSON {email, first_name, last_name, updated_at}; reads response.ok. */
    webhookUpdate: (secretKey: string, clerkUserId: string, payload: Json) =>
      action("PATCH", `/users/by-clerk-id/${clerkUserId}`, secretKey, payload),
    /** clerk-webhooks.ts user.deleted: no body, no content type; reads response.ok. */
    webhookDelete: (secretKey: string, clerkUserId: string) =>
      rest(apiUrl, "DELETE", `/users/by-clerk-id/${clerkUserId}`, { token: secretKey }),
  };
}

export type LegacyFrontend = ReturnType<typeof legacyFrontend>;
export type { RestResponse };
