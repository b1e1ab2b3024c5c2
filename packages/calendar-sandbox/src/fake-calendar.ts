// What the loopback Graph and Google Calendar fakes share: an in-memory calendar per account with
// recurrence expansion, and the test knobs every calendar API route goes through (bearer check, added
// latency, injected failures, a call log). Only node built-ins: the bench runs these fakes too.
import type { IncomingMessage, ServerResponse } from "node:http";
import { bearer, sleep } from "./fake-oauth-server.js";
import { addDays, instantAt, wallTime } from "./zoned-clock.js";

export type ShowAs = "free" | "tentative" | "busy" | "oof" | "workingElsewhere" | "unknown";
export type FakeResponse = "accepted" | "declined" | "tentative" | "none";

/**
 * An event as a test writes it. Timed events give instants ("2027-03-15T14:00:00Z"); all-day events
 * give dates ("2027-03-15", end exclusive). A recurring event repeats at the same wall-clock time in
 * `timeZone` (as both providers do, so a weekly 09:00 meeting stays at 09:00 across DST).
 */
export interface FakeEventInput {
  id?: string;
  title: string;
  start: string;
  end: string;
  allDay?: boolean;
  /** The zone the event was written in; default the calendar's zone. */
  timeZone?: string;
  recurrence?: { frequency: "daily" | "weekly"; count: number; interval?: number };
  showAs?: ShowAs;
  location?: string;
  attendees?: Array<{ email: string; name?: string; response?: FakeResponse; organizer?: boolean }>;
  joinUrl?: string;
}

export interface FakeEvent extends Required<Pick<FakeEventInput, "id" | "title" | "start" | "end">> {
  allDay: boolean;
  timeZone: string;
  recurrence?: FakeEventInput["recurrence"];
  showAs: ShowAs;
  location?: string;
  attendees: NonNullable<FakeEventInput["attendees"]>;
  joinUrl?: string;
}

/** One concrete occurrence: a single event, or one instance of a series. */
export interface Occurrence {
  event: FakeEvent;
  /** Index within the series; undefined for a single event. */
  index?: number;
  start: Date;
  end: Date;
  /** All-day occurrences keep their dates. */
  startDate?: string;
  endDate?: string;
}

let eventCounter = 0;

/** A calendar of an account besides its primary one (Graph /me/calendars, Google calendarList). */
export interface FakeSecondaryCalendar {
  id: string;
  name: string;
  /** False for a calendar shared read-only with the account. */
  canWrite: boolean;
}

/**
 * The events of every account one fake knows, keyed by account email; an account's other calendars
 * keep theirs under `calendarKey(email, id)`, so `add`, `events` and `occurrences` take either.
 */
export class FakeCalendars {
  private readonly byAccount = new Map<string, FakeEvent[]>();
  private readonly secondary = new Map<string, FakeSecondaryCalendar[]>();

  /** `timeZone`: the calendar's own zone, where all-day events and floating times are read. */
  constructor(public timeZone = "America/Chicago") {}

  events(email: string): FakeEvent[] {
    let list = this.byAccount.get(email.toLowerCase());
    if (!list) {
      list = [];
      this.byAccount.set(email.toLowerCase(), list);
    }
    return list;
  }

  add(email: string, ...inputs: FakeEventInput[]): FakeEvent[] {
    const added = inputs.map((input) => {
      eventCounter += 1;
      const event: FakeEvent = {
        ...input,
        id: input.id ?? `evt${String(eventCounter).padStart(5, "0")}`,
        allDay: input.allDay ?? false,
        timeZone: input.timeZone ?? this.timeZone,
        showAs: input.showAs ?? "busy",
        attendees: input.attendees ?? [],
      };
      return event;
    });
    this.events(email).push(...added);
    return added;
  }

  /** Deletes a single event or a whole series; false when the account has no such event. */
  remove(email: string, id: string): boolean {
    const list = this.events(email);
    const index = list.findIndex((event) => event.id === id);
    if (index < 0) return false;
    list.splice(index, 1);
    return true;
  }

  /** Gives the account another calendar; returns the key its events are added under. */
  addCalendar(email: string, calendar: { id: string; name: string; canWrite?: boolean }): string {
    const list = this.secondary.get(email.toLowerCase()) ?? [];
    list.push({ canWrite: true, ...calendar });
    this.secondary.set(email.toLowerCase(), list);
    return calendarKey(email, calendar.id);
  }

  /** The account's calendars besides its primary one. */
  secondaryCalendars(email: string): FakeSecondaryCalendar[] {
    return this.secondary.get(email.toLowerCase()) ?? [];
  }

  /**
   * Where a calendar's events are kept: the account's own list for its primary calendar (any of
   * `primaryIds`), the calendar's key for a secondary one, null for a calendar the account lacks.
   */
  keyOf(email: string, calendarId: string, primaryIds: readonly string[]): string | null {
    if (primaryIds.some((id) => id.toLowerCase() === calendarId.toLowerCase())) return email.toLowerCase();
    const known = this.secondaryCalendars(email).some((calendar) => calendar.id === calendarId);
    return known ? calendarKey(email, calendarId) : null;
  }

  /** Whether the account may only read this calendar (a shared one): writes to it are refused. */
  isReadOnly(email: string, calendarId: string | null): boolean {
    return this.secondaryCalendars(email).some(
      (calendar) => calendar.id === calendarId && !calendar.canWrite,
    );
  }

  /** Deletes an event from whichever of the account's calendars holds it (Graph ids span the mailbox). */
  removeFromAnyCalendar(email: string, id: string): boolean {
    return (
      this.remove(email, id) ||
      this.secondaryCalendars(email).some((calendar) => this.remove(calendarKey(email, calendar.id), id))
    );
  }

  clear(email?: string): void {
    if (email) this.byAccount.delete(email.toLowerCase());
    else this.byAccount.clear();
  }

  /** Occurrences overlapping [from, to), in insertion order (providers do not promise more). */
  occurrences(email: string, from: Date, to: Date): Occurrence[] {
    const found: Occurrence[] = [];
    for (const event of this.events(email)) {
      for (const occurrence of this.expand(event)) {
        if (occurrence.start < to && occurrence.end > from) found.push(occurrence);
      }
    }
    return found;
  }

  /** A series' instances (a single event is its own only instance). */
  expand(event: FakeEvent): Occurrence[] {
    const count = event.recurrence?.count ?? 1;
    const stepDays = event.recurrence
      ? (event.recurrence.interval ?? 1) * (event.recurrence.frequency === "weekly" ? 7 : 1)
      : 0;
    const all: Occurrence[] = [];
    for (let index = 0; index < count; index++) {
      const shift = index * stepDays;
      const base = { event, ...(event.recurrence ? { index } : {}) };
      if (event.allDay) {
        const startDate = addDays(event.start, shift);
        const endDate = addDays(event.end, shift);
        all.push({
          ...base,
          startDate,
          endDate,
          start: instantAt(`${startDate}T00:00`, this.timeZone),
          end: instantAt(`${endDate}T00:00`, this.timeZone),
        });
      } else if (shift === 0) {
        // The first (or only) instance is the event itself: no zone arithmetic, which made the fakes
        // the bench's busiest process.
        all.push({ ...base, start: new Date(event.start), end: new Date(event.end) });
      } else {
        // Same wall-clock time in the event's zone, `shift` days later.
        const [startWall, endWall] = [event.start, event.end].map((value) =>
          wallTime(new Date(value), event.timeZone),
        ) as [string, string];
        const move = (wall: string) => `${addDays(wall, shift)}${wall.slice(10)}`;
        all.push({
          ...base,
          start: instantAt(move(startWall), event.timeZone),
          end: instantAt(move(endWall), event.timeZone),
        });
      }
    }
    return all;
  }
}

/** The store key of an account's secondary calendar. */
export function calendarKey(email: string, calendarId: string): string {
  return `${email.toLowerCase()}#${calendarId.toLowerCase()}`;
}

/**
 * A failure the next matching call answers with instead of doing its work; with `afterWork`, the work
 * is done first and only the answer is lost (a create that happened, answered 503), on routes that
 * answer through `respond`.
 */
export type InjectedFailure =
  | {
      /** Only calls to this route (e.g. "calendarView", "freeBusy"); any route when absent. */
      route?: string;
      status: number;
      /** Sent as the Retry-After header. */
      retryAfter?: string;
      body?: unknown;
      afterWork?: boolean;
    }
  | { route?: string; hang: true };

export interface ApiCall {
  route: string;
  method: string;
  url: string;
  /** The account the bearer token belongs to; null when the token was refused. */
  account: string | null;
  /** The bearer token presented, to assert which credentials a request used. */
  token: string | null;
  status: number;
  prefer: string | null;
  body?: unknown;
}

export interface ApiKnobs {
  /** Added before every calendar API answer. */
  latencyMs: number;
  /** Consumed in order by matching calls. */
  failures: InjectedFailure[];
  calls: ApiCall[];
  /** Calls per route; always kept, unlike `calls` (a long benchmark turns `logCalls` off). */
  counts: Map<string, number>;
  logCalls: boolean;
}

export function newApiKnobs(): ApiKnobs {
  return { latencyMs: 0, failures: [], calls: [], counts: new Map(), logCalls: true };
}

export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? JSON.parse(text) : undefined;
}

/**
 * The gate in front of every calendar API route: logs the call, adds latency, refuses an unknown or
 * expired bearer token with the provider's 401, and plays the next injected failure for the route.
 * Returns the calling account, or null when the response was already sent.
 */
export async function apiGate(
  knobs: ApiKnobs,
  req: IncomingMessage,
  res: ServerResponse,
  route: string,
  accountOf: (token: string) => string | undefined,
  unauthorized: (res: ServerResponse) => void,
  throttled: (res: ServerResponse, failure: { status: number; retryAfter?: string; body?: unknown }) => void,
  body?: unknown,
): Promise<{
  account: string;
  call: ApiCall;
  /** Sends the route's answer, unless an `afterWork` failure is queued for it: then that is sent. */
  respond: (status: number, body: unknown) => void;
} | null> {
  const token = bearer(req) ?? null;
  const account = token ? (accountOf(token) ?? null) : null;
  const call: ApiCall = {
    route,
    method: req.method ?? "GET",
    url: req.url ?? "",
    account,
    token,
    status: 0,
    prefer: (req.headers.prefer as string | undefined) ?? null,
    ...(body === undefined ? {} : { body }),
  };
  knobs.counts.set(route, (knobs.counts.get(route) ?? 0) + 1);
  if (knobs.logCalls) knobs.calls.push(call);
  if (knobs.latencyMs > 0) await sleep(knobs.latencyMs);
  if (!account) {
    call.status = 401;
    unauthorized(res);
    return null;
  }
  const matches = (failure: InjectedFailure) => !failure.route || failure.route === route;
  const index = knobs.failures.findIndex((failure) => matches(failure) && !("afterWork" in failure));
  if (index >= 0) {
    const [failure] = knobs.failures.splice(index, 1);
    if (failure && "hang" in failure) {
      // Never answered: the connection stays open until the client gives up or the fake closes.
      call.status = -1;
      return null;
    }
    if (failure) {
      call.status = failure.status;
      throttled(res, failure);
      return null;
    }
  }
  call.status = 200;
  const respond = (status: number, answer: unknown) => {
    const after = knobs.failures.findIndex((failure) => matches(failure) && "afterWork" in failure);
    const [failure] = after >= 0 ? knobs.failures.splice(after, 1) : [];
    if (failure && !("hang" in failure)) {
      call.status = failure.status;
      return throttled(res, failure);
    }
    call.status = status;
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(answer));
  };
  return { account, call, respond };
}
