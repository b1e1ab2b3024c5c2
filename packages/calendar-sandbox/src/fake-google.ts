// A loopback stand-in for Google's OAuth 2.0 endpoints (authorize, token, revoke) and the OpenID
// userinfo endpoint, following the documented contracts: PKCE S256, a refresh token only with
// access_type=offline, refresh answers WITHOUT a refresh_token (the old one stays valid),
// invalid_grant once revoked. Calendar v3: events.list (singleEvents expansion, orderBy, maxResults +
// nextPageToken paging, all-day `date` events), freeBusy, events.insert (a client-supplied id is
// refused 409 duplicate when repeated), events.get, events.delete, on "primary" or any calendar of the
// account (calendarList); bearer tokens it issued only.
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  apiGate,
  FakeCalendars,
  type FakeEvent,
  newApiKnobs,
  type Occurrence,
  readJsonBody,
} from "./fake-calendar.js";
import {
  authorizeProblem,
  bearer,
  oauthError,
  type PendingCode,
  randomToken,
  readForm,
  redeemCode,
  redirect,
  sendJson,
  sleep,
  startLoopback,
} from "./fake-oauth-server.js";
import { instantAt, isKnownZone, isoWithOffset } from "./zoned-clock.js";

export async function startFakeGoogle() {
  const clientId = "google-client-id.apps.googleusercontent.com";
  const clientSecret = "GOCSPX-google-client-secret";
  const codes = new Map<string, PendingCode>();
  const liveRefreshTokens = new Map<string, string>();
  const liveAccessTokens = new Map<string, { email: string; expiresAt: number }>();
  const state = {
    email: "owner@gmail.example",
    accessTokenLifetimeSeconds: 3599,
    refreshDelayMs: 0,
    denyNext: false,
    tokenRequests: [] as Array<{ grantType: string; ok: boolean }>,
    revoked: [] as string[],
    issued: [] as string[],
    /** Calendars of every account; the calendar's zone reads all-day events. */
    calendars: new FakeCalendars("America/Chicago"),
    /** Latency, injected failures and the call log of the Calendar v3 routes. */
    api: newApiKnobs(),
    /** events.list page size cap (Google may return fewer than maxResults per page). */
    pageSize: 250,
  };

  const accessToken = (email: string) => {
    const token = randomToken("ya29.g-at-");
    liveAccessTokens.set(token, { email, expiresAt: Date.now() + state.accessTokenLifetimeSeconds * 1000 });
    state.issued.push(token);
    return token;
  };

  const accountOf = (token: string) => {
    const live = liveAccessTokens.get(token);
    return live && live.expiresAt > Date.now() ? live.email : undefined;
  };
  const googleError = (res: ServerResponse, status: number, reason: string, message: string) =>
    sendJson(res, status, {
      error: { code: status, message, errors: [{ domain: "global", reason, message }] },
    });
  const gate = (req: IncomingMessage, res: ServerResponse, route: string, body?: unknown) =>
    apiGate(
      state.api,
      req,
      res,
      route,
      accountOf,
      (out) =>
        sendJson(out, 401, {
          error: {
            code: 401,
            message: "Request had invalid authentication credentials.",
            errors: [{ domain: "global", reason: "authError", message: "Invalid Credentials" }],
            status: "UNAUTHENTICATED",
          },
        }),
      (out, failure) => {
        const reason =
          failure.status === 429 || failure.status === 403 ? "rateLimitExceeded" : "backendError";
        out.writeHead(failure.status, {
          "content-type": "application/json",
          ...(failure.retryAfter === undefined ? {} : { "retry-after": failure.retryAfter }),
        });
        out.end(
          JSON.stringify(
            failure.body ?? {
              error: {
                code: failure.status,
                message: reason,
                errors: [{ domain: "usageLimits", reason, message: reason }],
              },
            },
          ),
        );
      },
      body,
    );

  /** RFC 3339 with a mandatory offset, as timeMin/timeMax require. */
  const rfc3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i;
  const readRfc3339 = (value: unknown) =>
    typeof value === "string" && rfc3339.test(value) ? new Date(value) : null;
  const compact = (instant: Date) => instant.toISOString().replace(/[-:]|\.\d{3}/g, "");
  const googleResponses = { accepted: "accepted", declined: "declined", tentative: "tentative" };

  const googleEventResource = (occurrence: Occurrence, single: boolean) => {
    const { event } = occurrence;
    const instanceOfSeries = single && occurrence.index !== undefined;
    const point = (instant: Date, date: string | undefined) =>
      date ? { date } : { dateTime: isoWithOffset(instant, event.timeZone), timeZone: event.timeZone };
    const instanceId = occurrence.startDate
      ? occurrence.startDate.replace(/-/g, "")
      : compact(occurrence.start);
    return {
      kind: "calendar#event",
      etag: `"${event.id}"`,
      id: instanceOfSeries ? `${event.id}_${instanceId}` : event.id,
      status: "confirmed",
      htmlLink: `https://www.google.com/calendar/event?eid=${event.id}`,
      summary: event.title,
      ...(event.location ? { location: event.location } : {}),
      start: point(occurrence.start, occurrence.startDate),
      end: point(occurrence.end, occurrence.endDate),
      ...(instanceOfSeries
        ? { recurringEventId: event.id, originalStartTime: point(occurrence.start, occurrence.startDate) }
        : {}),
      ...(!single && event.recurrence
        ? {
            recurrence: [
              `RRULE:FREQ=${event.recurrence.frequency.toUpperCase()};COUNT=${event.recurrence.count};INTERVAL=${event.recurrence.interval ?? 1}`,
            ],
          }
        : {}),
      transparency: event.showAs === "free" ? "transparent" : "opaque",
      ...(event.attendees.length
        ? {
            attendees: event.attendees.map((attendee) => ({
              email: attendee.email,
              ...(attendee.name ? { displayName: attendee.name } : {}),
              ...(attendee.organizer ? { organizer: true } : {}),
              responseStatus: attendee.organizer
                ? "accepted"
                : (googleResponses[attendee.response as keyof typeof googleResponses] ?? "needsAction"),
            })),
          }
        : {}),
      ...(event.joinUrl
        ? {
            hangoutLink: event.joinUrl,
            conferenceData: { entryPoints: [{ entryPointType: "video", uri: event.joinUrl }] },
          }
        : {}),
    };
  };

  const deleted = new Set<string>();
  /** `/calendars/{calendarId}/events[/{eventId}]`: "primary" or the account's address is its own calendar. */
  const eventsPath = (pathname: string) => {
    const match = /^\/calendar\/v3\/calendars\/([^/]+)\/events(?:\/([^/]+))?$/.exec(pathname);
    if (!match) return null;
    return {
      calendarId: decodeURIComponent(match[1] ?? ""),
      eventId: match[2] === undefined ? null : decodeURIComponent(match[2]),
    };
  };
  const storeKey = (account: string, calendarId: string) =>
    state.calendars.keyOf(account, calendarId, ["primary", account]);
  /** The store of the addressed calendar; answers 404 notFound (and null) for one the account lacks. */
  const storeOf = (
    passed: { account: string; call: { status: number } },
    res: ServerResponse,
    calendarId: string,
  ) => {
    const key = storeKey(passed.account, calendarId);
    if (key) return key;
    passed.call.status = 404;
    googleError(res, 404, "notFound", "Not Found");
    return null;
  };

  const googleCalendar = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const addressed = eventsPath(url.pathname);
    if (req.method === "GET" && url.pathname === "/calendar/v3/users/me/calendarList") {
      const passed = await gate(req, res, "calendarList");
      if (!passed) return;
      const entry = (id: string, summary: string, accessRole: string, primary: boolean) => ({
        kind: "calendar#calendarListEntry",
        id,
        summary,
        timeZone: state.calendars.timeZone,
        accessRole,
        ...(primary ? { primary: true } : {}),
      });
      return sendJson(res, 200, {
        kind: "calendar#calendarList",
        items: [
          entry(passed.account, passed.account, "owner", true),
          ...state.calendars
            .secondaryCalendars(passed.account)
            .map((calendar) =>
              entry(calendar.id, calendar.name, calendar.canWrite ? "owner" : "reader", false),
            ),
        ],
      });
    }
    if (req.method === "GET" && addressed && addressed.eventId === null) {
      const passed = await gate(req, res, "events.list");
      if (!passed) return;
      const store = storeOf(passed, res, addressed.calendarId);
      if (!store) return;
      const q = url.searchParams;
      const fail = (message: string) => {
        passed.call.status = 400;
        googleError(res, 400, "badRequest", message);
      };
      const from = q.has("timeMin") ? readRfc3339(q.get("timeMin")) : new Date(0);
      const to = q.has("timeMax") ? readRfc3339(q.get("timeMax")) : new Date(8.64e15);
      if (!from || !to) return fail("Bad Request: timeMin/timeMax must be RFC 3339 with an offset");
      const single = q.get("singleEvents") === "true";
      const orderBy = q.get("orderBy");
      if (orderBy === "startTime" && !single)
        return fail("The requested ordering is not available for the particular query.");
      const maxResults = Math.min(Number(q.get("maxResults") ?? 250) || 250, 2500);
      const pageToken = q.get("pageToken");
      const offset = pageToken ? Number(/^p(\d+)$/.exec(pageToken)?.[1] ?? Number.NaN) : 0;
      if (Number.isNaN(offset)) return fail("Invalid page token");
      let found = state.calendars.occurrences(store, from, to);
      if (!single) {
        // Without singleEvents a series comes back once, as its master with the recurrence rule.
        const seen = new Set<string>();
        found = found
          .filter((o) => !seen.has(o.event.id) && seen.add(o.event.id))
          .map((o) => state.calendars.expand(o.event)[0] ?? o);
      }
      if (orderBy === "startTime") found.sort((a, b) => a.start.getTime() - b.start.getTime());
      const pageSize = Math.min(maxResults, state.pageSize);
      const items = found.slice(offset, offset + pageSize).map((o) => googleEventResource(o, single));
      return sendJson(res, 200, {
        kind: "calendar#events",
        summary: passed.account,
        timeZone: state.calendars.timeZone,
        items,
        ...(offset + pageSize < found.length ? { nextPageToken: `p${offset + pageSize}` } : {}),
      });
    }

    if (req.method === "POST" && url.pathname === "/calendar/v3/freeBusy") {
      const input = (await readJsonBody(req)) as {
        timeMin?: string;
        timeMax?: string;
        timeZone?: string;
        items?: Array<{ id?: string }>;
      };
      const passed = await gate(req, res, "freeBusy", input);
      if (!passed) return;
      const from = readRfc3339(input.timeMin);
      const to = readRfc3339(input.timeMax);
      const zone = input.timeZone ?? "UTC";
      if (!from || !to || !isKnownZone(zone)) {
        passed.call.status = 400;
        return googleError(res, 400, "badRequest", "timeMin and timeMax are required");
      }
      const calendars: Record<string, unknown> = {};
      for (const { id = "" } of input.items ?? []) {
        const store = storeKey(passed.account, id);
        if (!store) {
          calendars[id] = { errors: [{ domain: "global", reason: "notFound" }], busy: [] };
          continue;
        }
        // Free (transparent) events do not block; busy periods are merged and clipped to the window.
        const periods = state.calendars
          .occurrences(store, from, to)
          .filter((o) => o.event.showAs !== "free")
          .map((o) => ({
            start: Math.max(o.start.getTime(), from.getTime()),
            end: Math.min(o.end.getTime(), to.getTime()),
          }))
          .sort((a, b) => a.start - b.start);
        const merged: Array<{ start: number; end: number }> = [];
        for (const period of periods) {
          const last = merged.at(-1);
          if (last && period.start <= last.end) last.end = Math.max(last.end, period.end);
          else merged.push({ ...period });
        }
        calendars[id] = {
          busy: merged.map((period) => ({
            start: isoWithOffset(new Date(period.start), zone),
            end: isoWithOffset(new Date(period.end), zone),
          })),
        };
      }
      return sendJson(res, 200, {
        kind: "calendar#freeBusy",
        timeMin: input.timeMin,
        timeMax: input.timeMax,
        calendars,
      });
    }

    if (req.method === "POST" && addressed && addressed.eventId === null) {
      const input = (await readJsonBody(req)) as {
        id?: string;
        summary?: string;
        description?: string;
        location?: string;
        start?: { dateTime?: string; timeZone?: string };
        end?: { dateTime?: string; timeZone?: string };
        attendees?: Array<{ email?: string; displayName?: string }>;
      };
      const passed = await gate(req, res, "events.insert", input);
      if (!passed) return;
      const store = storeOf(passed, res, addressed.calendarId);
      if (!store) return;
      if (state.calendars.isReadOnly(passed.account, addressed.calendarId)) {
        passed.call.status = 403;
        return googleError(
          res,
          403,
          "requiredAccessLevel",
          "You need to have writer access to this calendar.",
        );
      }
      // A client-supplied id: base32hex (a-v, 0-9), 5-1024 characters, unique for good (a deleted
      // event's id stays taken). A repeated id is refused 409 duplicate; the client then reads it.
      if (input.id !== undefined) {
        if (!/^[a-v0-9]{5,1024}$/.test(input.id)) {
          passed.call.status = 400;
          return googleError(res, 400, "invalid", "Invalid resource id value.");
        }
        if (deleted.has(input.id) || state.calendars.events(store).some((e) => e.id === input.id)) {
          passed.call.status = 409;
          return googleError(res, 409, "duplicate", "The requested identifier already exists.");
        }
      }
      // An offset is required unless timeZone names the zone the wall time is read in.
      const read = (point: { dateTime?: string; timeZone?: string } | undefined) => {
        if (!point?.dateTime) return null;
        if (rfc3339.test(point.dateTime)) return new Date(point.dateTime);
        return point.timeZone && isKnownZone(point.timeZone)
          ? instantAt(point.dateTime, point.timeZone)
          : null;
      };
      const start = read(input.start);
      const end = read(input.end);
      if (!start || !end || end <= start || (input.start?.timeZone && !isKnownZone(input.start.timeZone))) {
        passed.call.status = 400;
        return googleError(res, 400, "badRequest", start ? "Missing end time." : "Missing start time.");
      }
      const created = state.calendars.add(store, {
        ...(input.id ? { id: input.id } : {}),
        title: input.summary ?? "",
        start: start.toISOString(),
        end: end.toISOString(),
        timeZone: input.start?.timeZone ?? state.calendars.timeZone,
        ...(input.location ? { location: input.location } : {}),
        attendees: (input.attendees ?? []).map((attendee) => ({
          email: attendee.email ?? "",
          ...(attendee.displayName ? { name: attendee.displayName } : {}),
        })),
      })[0] as FakeEvent;
      return passed.respond(200, googleEventResource({ event: created, start, end }, true));
    }
    if (req.method === "GET" && addressed?.eventId) {
      const passed = await gate(req, res, "events.get");
      if (!passed) return;
      const store = storeOf(passed, res, addressed.calendarId);
      if (!store) return;
      const id = addressed.eventId;
      const event = state.calendars.events(store).find((candidate) => candidate.id === id);
      const [occurrence] = event ? state.calendars.expand(event) : [];
      if (!occurrence) {
        passed.call.status = deleted.has(id) ? 410 : 404;
        return googleError(res, passed.call.status, deleted.has(id) ? "deleted" : "notFound", "Not Found");
      }
      return sendJson(res, 200, googleEventResource(occurrence, false));
    }
    if (req.method === "DELETE" && addressed?.eventId) {
      const passed = await gate(req, res, "events.delete");
      if (!passed) return;
      const store = storeOf(passed, res, addressed.calendarId);
      if (!store) return;
      const id = addressed.eventId;
      if (!state.calendars.remove(store, id)) {
        // Google answers 410 for an event already deleted, 404 for one it never had.
        const gone = deleted.has(id);
        passed.call.status = gone ? 410 : 404;
        return googleError(
          res,
          passed.call.status,
          gone ? "deleted" : "notFound",
          gone ? "Resource has been deleted" : "Not Found",
        );
      }
      deleted.add(id);
      passed.call.status = 204;
      return void res.writeHead(204).end();
    }
    sendJson(res, 404, { error: { code: 404, message: "Not Found" } });
  };

  const server = await startLoopback(async (req, res, url) => {
    if (req.method === "GET" && url.pathname === "/o/oauth2/v2/auth") {
      const problem = authorizeProblem(url, clientId);
      if (problem) return oauthError(res, 400, problem);
      const q = url.searchParams;
      const back = new URL(q.get("redirect_uri") ?? "");
      if (state.denyNext) {
        state.denyNext = false;
        back.searchParams.set("error", "access_denied");
        back.searchParams.set("state", q.get("state") ?? "");
        return redirect(res, back.toString());
      }
      const code = randomToken("4/g-code-");
      codes.set(code, {
        challenge: q.get("code_challenge") ?? "",
        redirectUri: q.get("redirect_uri") ?? "",
        scope: q.get("scope") ?? "",
        email: state.email,
        offline: q.get("access_type") === "offline",
      });
      // Google puts state first, then code and scope.
      back.searchParams.set("state", q.get("state") ?? "");
      back.searchParams.set("code", code);
      back.searchParams.set("scope", q.get("scope") ?? "");
      return redirect(res, back.toString());
    }
    if (req.method === "POST" && url.pathname === "/token") {
      const form = await readForm(req);
      const grantType = form.get("grant_type") ?? "";
      const record = (ok: boolean) => state.tokenRequests.push({ grantType, ok });
      if (form.get("client_id") !== clientId || form.get("client_secret") !== clientSecret) {
        record(false);
        return oauthError(res, 401, "invalid_client", "The OAuth client was not found.");
      }
      if (grantType === "authorization_code") {
        const redeemed = redeemCode(codes, form);
        record(typeof redeemed !== "string");
        if (typeof redeemed === "string") return oauthError(res, 400, "invalid_grant", redeemed);
        const body: Record<string, unknown> = {
          access_token: accessToken(redeemed.email),
          expires_in: state.accessTokenLifetimeSeconds,
          scope: redeemed.scope,
          token_type: "Bearer",
        };
        if (redeemed.offline) {
          const refreshToken = randomToken("1//g-rt-");
          liveRefreshTokens.set(refreshToken, redeemed.email);
          state.issued.push(refreshToken);
          body.refresh_token = refreshToken;
        }
        return sendJson(res, 200, body);
      }
      if (grantType === "refresh_token") {
        await sleep(state.refreshDelayMs);
        const email = liveRefreshTokens.get(form.get("refresh_token") ?? "");
        record(email !== undefined);
        if (!email) return oauthError(res, 400, "invalid_grant", "Token has been expired or revoked.");
        // No refresh_token in the answer: Google keeps the existing one valid.
        return sendJson(res, 200, {
          access_token: accessToken(email),
          expires_in: state.accessTokenLifetimeSeconds,
          scope: "openid email",
          token_type: "Bearer",
        });
      }
      record(false);
      return oauthError(res, 400, "unsupported_grant_type");
    }
    if (req.method === "POST" && url.pathname === "/revoke") {
      const token = (await readForm(req)).get("token") ?? "";
      const known = liveRefreshTokens.delete(token) || liveAccessTokens.delete(token);
      state.revoked.push(token);
      return known
        ? sendJson(res, 200, {})
        : oauthError(res, 400, "invalid_token", "Token expired or revoked");
    }
    if (url.pathname.startsWith("/calendar/v3/")) return googleCalendar(req, res, url);
    if (req.method === "GET" && url.pathname === "/oauth2/v3/userinfo") {
      const email = accountOf(bearer(req) ?? "");
      if (!email) return oauthError(res, 401, "invalid_request", "Invalid Credentials");
      return sendJson(res, 200, { sub: "1234567890", email, email_verified: true });
    }
    sendJson(res, 404, { error: "not_found" });
  });

  return {
    ...server,
    state,
    clientId,
    env: {
      GOOGLE_CLIENT_ID: clientId,
      GOOGLE_CLIENT_SECRET: clientSecret,
      GOOGLE_AUTH_URL: `${server.url}/o/oauth2/v2/auth`,
      GOOGLE_TOKEN_URL: `${server.url}/token`,
      GOOGLE_REVOKE_URL: `${server.url}/revoke`,
      GOOGLE_API_URL: server.url,
    },
    refreshRequests: () =>
      state.tokenRequests.filter((request) => request.grantType === "refresh_token").length,
    revokeAllGrants: () => liveRefreshTokens.clear(),
    denyNextAuthorization: () => {
      state.denyNext = true;
    },
    /** Google now refuses every access token it issued (revoked early): the next call gets 401. */
    revokeAccessTokens: () => liveAccessTokens.clear(),
    /** The logged Calendar calls, optionally of one route ("events.list", "freeBusy", "events.insert"). */
    calls: (route?: string) => state.api.calls.filter((call) => !route || call.route === route),
  };
}

export type FakeGoogle = Awaited<ReturnType<typeof startFakeGoogle>>;
