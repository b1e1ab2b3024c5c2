// A loopback stand-in for the Microsoft identity platform (v2.0 authorize/token) and Graph (GET /me and
// the calendar calls), following the documented contracts: PKCE S256, refresh tokens only with
// offline_access and rotated on every use (the old one stops working), invalid_grant once a grant is
// revoked; calendarView expanding series into instances with absolute @odata.nextLink paging and times in
// the `Prefer: outlook.timezone` zone; getSchedule for work accounts only; POST /me/events (a repeated
// transactionId answers the event the first POST made); GET /me/calendars, and calendarView and POST
// events on one calendar (/me/calendars/{id}/...) for accounts given secondary calendars.
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  apiGate,
  calendarKey,
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
import { instantAt, isKnownZone, wallTime } from "./zoned-clock.js";

export interface FakeMicrosoftAccount {
  mail: string | null;
  userPrincipalName: string;
}

export async function startFakeMicrosoft() {
  const clientId = "ms-client-id";
  const clientSecret = "ms-client-secret-value";
  const codes = new Map<string, PendingCode>();
  const liveRefreshTokens = new Map<string, string>(); // refresh token -> account email
  // access token -> account email and expiry (Graph refuses an expired token with 401)
  const liveAccessTokens = new Map<string, { email: string; expiresAt: number }>();
  const state = {
    account: {
      mail: "landlord@contoso.example",
      userPrincipalName: "landlord@contoso.example",
    } as FakeMicrosoftAccount,
    accessTokenLifetimeSeconds: 3600,
    /** Slows refresh answers so concurrent callers really overlap. */
    refreshDelayMs: 0,
    denyNext: false,
    tokenRequests: [] as Array<{ grantType: string; ok: boolean }>,
    /** Every token this fake ever issued, to assert none reaches the database or an API answer. */
    issued: [] as string[],
    /** Calendars of every account, keyed by address; the mailbox zone reads all-day events. */
    calendars: new FakeCalendars("America/Chicago"),
    /** Latency, injected failures and the call log of the Graph calendar routes. */
    api: newApiKnobs(),
    /** calendarView's page size cap (Graph pages at $top, default 10, or less when it likes). */
    pageSize: 50,
    /**
     * A consumer (outlook.com) account: getSchedule is not supported. How it fails: an HTTP error
     * (`personalScheduleStatus`), or a 200 carrying a per-schedule error entry.
     */
    personalAccount: false,
    personalScheduleFailure: "http" as "http" | "entry-error",
    personalScheduleStatus: 400,
  };

  const issue = (email: string, offline: boolean, scope: string) => {
    const accessToken = randomToken("ms-at-");
    liveAccessTokens.set(accessToken, {
      email,
      expiresAt: Date.now() + state.accessTokenLifetimeSeconds * 1000,
    });
    state.issued.push(accessToken);
    const body: Record<string, unknown> = {
      token_type: "Bearer",
      scope,
      expires_in: state.accessTokenLifetimeSeconds,
      ext_expires_in: state.accessTokenLifetimeSeconds,
      access_token: accessToken,
    };
    if (offline) {
      const refreshToken = randomToken("ms-rt-");
      liveRefreshTokens.set(refreshToken, email);
      state.issued.push(refreshToken);
      body.refresh_token = refreshToken;
    }
    return body;
  };

  const accountOf = (token: string) => {
    const live = liveAccessTokens.get(token);
    return live && live.expiresAt > Date.now() ? live.email : undefined;
  };
  const graphError = (res: ServerResponse, status: number, code: string, message: string) =>
    sendJson(res, status, { error: { code, message } });
  const gate = (req: IncomingMessage, res: ServerResponse, route: string, body?: unknown) =>
    apiGate(
      state.api,
      req,
      res,
      route,
      accountOf,
      (out) =>
        graphError(out, 401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid."),
      (out, failure) => {
        const code = failure.status === 429 ? "TooManyRequests" : "ServiceUnavailable";
        out.writeHead(failure.status, {
          "content-type": "application/json",
          ...(failure.retryAfter === undefined ? {} : { "retry-after": failure.retryAfter }),
        });
        out.end(JSON.stringify(failure.body ?? { error: { code, message: `fake ${failure.status}` } }));
      },
      body,
    );

  /** `Prefer: outlook.timezone="X"`: the zone Graph writes start/end in; UTC without the header. */
  const preferredZone = (prefer: string | undefined): string | null => {
    const zone = /outlook\.timezone="([^"]+)"/.exec(prefer ?? "")?.[1] ?? "UTC";
    return isKnownZone(zone) ? zone : null;
  };
  const graphTime = (instant: Date, zone: string) => ({
    dateTime: `${wallTime(instant, zone)}.0000000`,
    timeZone: zone,
  });
  /** Graph reads a dateTimeTimeZone's wall time in its zone; an ISO string without offset is UTC. */
  const readInstant = (value: unknown): Date | null => {
    if (typeof value !== "string" || Number.isNaN(Date.parse(value))) return null;
    return new Date(/[zZ]|[+-]\d\d:\d\d$/.test(value) ? value : `${value}Z`);
  };
  /** The id GET /me/calendars gives every account's default calendar. */
  const defaultCalendarId = "AAMkADefaultCalendar=";
  /** Events created with a transactionId, so a repeated POST finds the first one. */
  const byTransactionId = new Map<string, Occurrence>();
  const graphResponses = { accepted: "accepted", declined: "declined", tentative: "tentativelyAccepted" };

  const graphEventResource = (occurrence: Occurrence, zone: string) => {
    const { event } = occurrence;
    const seriesId = occurrence.index === undefined ? undefined : event.id;
    return {
      id: seriesId ? `${event.id}_occ${occurrence.index}` : event.id,
      subject: event.title,
      isAllDay: event.allDay,
      isCancelled: false,
      showAs: event.showAs,
      type: seriesId ? "occurrence" : "singleInstance",
      seriesMasterId: seriesId ?? null,
      // All-day events are midnight to midnight in whatever zone the caller prefers.
      start: occurrence.startDate
        ? { dateTime: `${occurrence.startDate}T00:00:00.0000000`, timeZone: zone }
        : graphTime(occurrence.start, zone),
      end: occurrence.endDate
        ? { dateTime: `${occurrence.endDate}T00:00:00.0000000`, timeZone: zone }
        : graphTime(occurrence.end, zone),
      location: { displayName: event.location ?? "" },
      attendees: event.attendees.map((attendee) => ({
        type: "required",
        status: {
          response: attendee.organizer
            ? "organizer"
            : (graphResponses[attendee.response as keyof typeof graphResponses] ?? "none"),
          time: "0001-01-01T00:00:00Z",
        },
        emailAddress: { name: attendee.name ?? attendee.email, address: attendee.email },
      })),
      isOnlineMeeting: event.joinUrl !== undefined,
      onlineMeeting: event.joinUrl ? { joinUrl: event.joinUrl } : null,
      webLink: `https://outlook.office365.com/owa/?itemid=${event.id}&exvsurl=1&path=/calendar/item`,
    };
  };

  const availabilityCodes: Record<string, string> = {
    free: "0",
    tentative: "1",
    busy: "2",
    oof: "3",
    workingElsewhere: "4",
    unknown: "2",
  };

  /** `/me/...` (the default calendar) or `/me/calendars/{id}/...`: the calendar and the rest of the path. */
  const calendarPath = (pathname: string) => {
    const match = /^\/v1\.0\/me\/(?:calendars\/([^/]+)\/)?(calendarView|events)$/.exec(pathname);
    return match ? { calendarId: match[1] ? decodeURIComponent(match[1]) : null, rest: match[2] } : null;
  };
  /** The store key of the addressed calendar; answers 404 (and null) for one the account lacks. */
  const storeOf = (
    passed: { account: string; call: { status: number } },
    res: ServerResponse,
    calendarId: string | null,
  ) => {
    const key = calendarId
      ? state.calendars.keyOf(passed.account, calendarId, [defaultCalendarId])
      : passed.account;
    if (key) return key;
    passed.call.status = 404;
    graphError(res, 404, "ErrorItemNotFound", "The specified object was not found in the store.");
    return null;
  };

  const graphCalendar = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const zone = preferredZone(req.headers.prefer as string | undefined);
    const addressed = calendarPath(url.pathname);
    if (req.method === "GET" && url.pathname === "/v1.0/me/calendars") {
      const passed = await gate(req, res, "listCalendars");
      if (!passed) return;
      const owner = { name: passed.account, address: passed.account };
      const calendar = (id: string, name: string, isDefaultCalendar: boolean, canEdit: boolean) => ({
        id,
        name,
        isDefaultCalendar,
        canEdit,
        canShare: isDefaultCalendar,
        owner,
      });
      return sendJson(res, 200, {
        "@odata.context": `${server.url}/v1.0/$metadata#users('me')/calendars`,
        value: [
          calendar(defaultCalendarId, "Calendar", true, true),
          ...state.calendars
            .secondaryCalendars(passed.account)
            .map((entry) => calendar(entry.id, entry.name, false, entry.canWrite)),
        ],
      });
    }
    if (req.method === "GET" && addressed?.rest === "calendarView") {
      const passed = await gate(req, res, "calendarView");
      if (!passed) return;
      const store = storeOf(passed, res, addressed.calendarId);
      if (!store) return;
      const q = url.searchParams;
      const from = readInstant(q.get("startDateTime"));
      const to = readInstant(q.get("endDateTime"));
      if (!from || !to) {
        passed.call.status = 400;
        return graphError(
          res,
          400,
          "ErrorInvalidParameter",
          "This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.",
        );
      }
      if (!zone) {
        passed.call.status = 400;
        return graphError(res, 400, "ErrorInvalidTimeZone", "Prefer outlook.timezone is invalid");
      }
      const top = Math.min(Number(q.get("$top") ?? 10) || 10, 1000);
      const skip = Number(q.get("$skip") ?? 0) || 0;
      const pageSize = Math.min(top, state.pageSize);
      const all = state.calendars.occurrences(store, from, to);
      const page = all.slice(skip, skip + pageSize).map((occurrence) => graphEventResource(occurrence, zone));
      const body: Record<string, unknown> = {
        "@odata.context": `${server.url}/v1.0/$metadata#users('me')/calendarView`,
        value: page,
      };
      if (skip + pageSize < all.length) {
        const next = new URL(`${server.url}${url.pathname}`);
        for (const [name, value] of q) if (name !== "$skip") next.searchParams.set(name, value);
        next.searchParams.set("$skip", String(skip + pageSize));
        body["@odata.nextLink"] = next.toString();
      }
      return sendJson(res, 200, body);
    }

    if (req.method === "POST" && url.pathname === "/v1.0/me/calendar/getSchedule") {
      const input = (await readJsonBody(req)) as {
        schedules?: string[];
        startTime?: { dateTime?: string; timeZone?: string };
        endTime?: { dateTime?: string; timeZone?: string };
        availabilityViewInterval?: number;
      };
      const passed = await gate(req, res, "getSchedule", input);
      if (!passed) return;
      if (state.personalAccount) {
        if (state.personalScheduleFailure === "entry-error") {
          return sendJson(res, 200, {
            value: (input.schedules ?? []).map((scheduleId) => ({
              scheduleId,
              error: { message: "Free/busy is not available for this mailbox.", responseCode: "5006" },
            })),
          });
        }
        passed.call.status = state.personalScheduleStatus;
        return graphError(
          res,
          state.personalScheduleStatus,
          "ErrorInvalidUser",
          "getSchedule is not supported for Microsoft personal accounts.",
        );
      }
      const window = [input.startTime, input.endTime].map((point) =>
        point?.dateTime && point.timeZone && isKnownZone(point.timeZone)
          ? instantAt(point.dateTime, point.timeZone)
          : null,
      );
      const [from, to] = window;
      const interval = input.availabilityViewInterval ?? 30;
      if (!from || !to || !input.schedules?.length || !zone || interval < 5) {
        passed.call.status = 400;
        return graphError(res, 400, "ErrorInvalidRequest", "schedules, startTime and endTime are required");
      }
      const value = input.schedules.map((scheduleId) => {
        if (scheduleId.toLowerCase() !== passed.account.toLowerCase()) {
          return {
            scheduleId,
            error: {
              message: `Unable to resolve e-mail address ${scheduleId} to an Active Directory object.`,
              responseCode: "5009",
            },
          };
        }
        const occurrences = state.calendars.occurrences(passed.account, from, to);
        let view = "";
        for (let at = from.getTime(); at < to.getTime(); at += interval * 60_000) {
          const slotEnd = at + interval * 60_000;
          const codes = occurrences
            .filter((o) => o.start.getTime() < slotEnd && o.end.getTime() > at)
            .map((o) => availabilityCodes[o.event.showAs] ?? "2");
          view += codes.sort().at(-1) ?? "0";
        }
        return {
          scheduleId,
          availabilityView: view,
          scheduleItems: occurrences.map((o) => ({
            isPrivate: false,
            status: o.event.showAs,
            subject: o.event.title,
            location: o.event.location ?? "",
            start: graphTime(o.start, zone),
            end: graphTime(o.end, zone),
          })),
          workingHours: {
            daysOfWeek: ["monday", "tuesday", "wednesday", "thursday", "friday"],
            startTime: "08:00:00.0000000",
            endTime: "17:00:00.0000000",
            timeZone: { name: state.calendars.timeZone },
          },
        };
      });
      return sendJson(res, 200, { value });
    }

    if (req.method === "POST" && addressed?.rest === "events") {
      const input = (await readJsonBody(req)) as {
        transactionId?: string;
        subject?: string;
        start?: { dateTime?: string; timeZone?: string };
        end?: { dateTime?: string; timeZone?: string };
        location?: { displayName?: string };
        attendees?: Array<{ emailAddress?: { address?: string; name?: string }; type?: string }>;
      };
      const passed = await gate(req, res, "createEvent", input);
      if (!passed) return;
      const store = storeOf(passed, res, addressed.calendarId);
      if (!store) return;
      if (state.calendars.isReadOnly(passed.account, addressed.calendarId)) {
        passed.call.status = 403;
        return graphError(
          res,
          403,
          "ErrorAccessDenied",
          "Access is denied. Check credentials and try again.",
        );
      }
      // A repeated transactionId answers the event the first POST made, instead of a second one.
      const earlier = input.transactionId ? byTransactionId.get(input.transactionId) : undefined;
      if (earlier) return passed.respond(201, graphEventResource(earlier, zone ?? "UTC"));
      // dateTimeTimeZone: a wall time without offset plus the zone it is read in.
      const wall = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?$/;
      const points = [input.start, input.end].map((point) =>
        point?.dateTime && wall.test(point.dateTime) && point.timeZone && isKnownZone(point.timeZone)
          ? instantAt(point.dateTime, point.timeZone)
          : null,
      );
      const [start, end] = points;
      if (!start || !end || !input.subject || end <= start || !zone) {
        passed.call.status = 400;
        return graphError(res, 400, "ErrorInvalidRequest", "subject, start and end are required");
      }
      const created = state.calendars.add(store, {
        title: input.subject,
        start: start.toISOString(),
        end: end.toISOString(),
        timeZone: input.start?.timeZone ?? "UTC",
        ...(input.location?.displayName ? { location: input.location.displayName } : {}),
        attendees: (input.attendees ?? []).map((attendee) => ({
          email: attendee.emailAddress?.address ?? "",
          ...(attendee.emailAddress?.name ? { name: attendee.emailAddress.name } : {}),
          response: "none" as const,
        })),
      })[0] as FakeEvent;
      if (input.transactionId) byTransactionId.set(input.transactionId, { event: created, start, end });
      return passed.respond(201, graphEventResource({ event: created, start, end }, zone));
    }
    const eventPath = /^\/v1\.0\/me\/events\/([^/]+)$/.exec(url.pathname);
    if (req.method === "DELETE" && eventPath) {
      const passed = await gate(req, res, "deleteEvent");
      if (!passed) return;
      if (!state.calendars.removeFromAnyCalendar(passed.account, decodeURIComponent(eventPath[1] ?? ""))) {
        passed.call.status = 404;
        return graphError(res, 404, "ErrorItemNotFound", "The specified object was not found in the store.");
      }
      passed.call.status = 204;
      return void res.writeHead(204).end();
    }
    sendJson(res, 404, { error: { code: "ResourceNotFound" } });
  };

  const server = await startLoopback(async (req, res, url) => {
    const tenantPath = /^\/([^/]+)\/oauth2\/v2\.0\/(authorize|token)$/.exec(url.pathname);
    if (req.method === "GET" && tenantPath?.[2] === "authorize") {
      const problem = authorizeProblem(url, clientId);
      if (problem) return oauthError(res, 400, problem);
      const q = url.searchParams;
      const back = new URL(q.get("redirect_uri") ?? "");
      back.searchParams.set("state", q.get("state") ?? "");
      if (state.denyNext) {
        state.denyNext = false;
        back.searchParams.set("error", "access_denied");
        back.searchParams.set("error_description", "AADSTS65004: User declined to consent");
        return redirect(res, back.toString());
      }
      const code = randomToken("ms-code-");
      const scope = q.get("scope") ?? "";
      codes.set(code, {
        challenge: q.get("code_challenge") ?? "",
        redirectUri: q.get("redirect_uri") ?? "",
        scope,
        email: state.account.mail ?? state.account.userPrincipalName,
        offline: scope.split(" ").includes("offline_access"),
      });
      back.searchParams.set("code", code);
      return redirect(res, back.toString());
    }
    if (req.method === "POST" && tenantPath?.[2] === "token") {
      const form = await readForm(req);
      const grantType = form.get("grant_type") ?? "";
      const record = (ok: boolean) => state.tokenRequests.push({ grantType, ok });
      if (form.get("client_id") !== clientId || form.get("client_secret") !== clientSecret) {
        record(false);
        return oauthError(res, 401, "invalid_client", "AADSTS7000215: Invalid client secret provided.");
      }
      if (grantType === "authorization_code") {
        const redeemed = redeemCode(codes, form);
        record(typeof redeemed !== "string");
        if (typeof redeemed === "string")
          return oauthError(res, 400, "invalid_grant", `AADSTS70008: ${redeemed}`);
        return sendJson(res, 200, issue(redeemed.email, redeemed.offline, redeemed.scope));
      }
      if (grantType === "refresh_token") {
        const presented = form.get("refresh_token") ?? "";
        const email = liveRefreshTokens.get(presented);
        // Rotation: the presented token is spent whether or not the answer arrives.
        liveRefreshTokens.delete(presented);
        await sleep(state.refreshDelayMs);
        record(email !== undefined);
        if (!email)
          return oauthError(res, 400, "invalid_grant", "AADSTS50173: The provided grant has expired");
        return sendJson(res, 200, issue(email, true, form.get("scope") ?? ""));
      }
      record(false);
      return oauthError(res, 400, "unsupported_grant_type");
    }
    if (url.pathname.startsWith("/v1.0/me/")) return graphCalendar(req, res, url);
    if (req.method === "GET" && url.pathname === "/v1.0/me") {
      const email = accountOf(bearer(req) ?? "");
      if (!email) return sendJson(res, 401, { error: { code: "InvalidAuthenticationToken" } });
      return sendJson(res, 200, {
        id: "00000000-0000-0000-0000-000000000001",
        mail: state.account.mail,
        userPrincipalName: state.account.userPrincipalName,
      });
    }
    sendJson(res, 404, { error: "not_found" });
  });

  return {
    ...server,
    state,
    clientId,
    /** The server's MICROSOFT_* environment pointing at this fake. */
    env: {
      MICROSOFT_CLIENT_ID: clientId,
      MICROSOFT_CLIENT_SECRET: clientSecret,
      MICROSOFT_TENANT_ID: "common",
      MICROSOFT_LOGIN_URL: server.url,
      MICROSOFT_GRAPH_URL: `${server.url}/v1.0`,
    },
    refreshRequests: () =>
      state.tokenRequests.filter((request) => request.grantType === "refresh_token").length,
    /** The user withdrew consent: every refresh token now answers invalid_grant. */
    revokeAllGrants: () => liveRefreshTokens.clear(),
    denyNextAuthorization: () => {
      state.denyNext = true;
    },
    /** Graph now refuses every access token it issued (revoked early): the next call gets 401. */
    revokeAccessTokens: () => liveAccessTokens.clear(),
    /** The default calendar's id in GET /me/calendars. */
    defaultCalendarId,
    /** The store key of an account's secondary calendar, for `state.calendars.add`. */
    calendarKey,
    /** The logged Graph calendar calls, optionally of one route ("calendarView", "getSchedule", "createEvent"). */
    calls: (route?: string) => state.api.calls.filter((call) => !route || call.route === route),
  };
}

export type FakeMicrosoft = Awaited<ReturnType<typeof startFakeMicrosoft>>;
