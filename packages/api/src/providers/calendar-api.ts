import type { CalendarEvent, ProviderCalendar } from "@viewings/validators";
import type { TimeRange } from "../time/time-ranges.js";

/** A time window asked of a provider, and the zone its answers are presented in. */
export interface CalendarQuery {
  from: Date;
  to: Date;
  timeZone: string;
  /** The connected account's address; Microsoft's getSchedule is addressed by it. */
  accountEmail: string | null;
  /** The account's calendars to read busy time from; undefined for its primary (default) calendar. */
  calendarIds?: readonly string[] | undefined;
}

export interface NewCalendarEvent {
  title: string;
  start: Date;
  end: Date;
  /** Written explicitly into the provider's event, so nothing is read as naive UTC. */
  timeZone: string;
  attendees: ReadonlyArray<{ email: string; name?: string | undefined }>;
  location?: string | undefined;
  description?: string | undefined;
  /** The calendar to write into; undefined for the account's primary calendar. */
  calendarId?: string | undefined;
}

/** Per call: the request's deadline, passed down to every fetch so work stops when the caller gives up. */
export interface CallOptions {
  signal?: AbortSignal | undefined;
}

/** Cancelling names the calendar holding the event (Google addresses events by calendar). */
export interface CancelOptions extends CallOptions {
  calendarId?: string | undefined;
}

/**
 * A create is made safe to repeat with a provider-side idempotency key: Graph's `transactionId`, and
 * Google's client-supplied event `id` derived from it. Sending it again (a retry after a 503, or a
 * compensation after a timeout) answers the one event the key names instead of creating another.
 */
export interface CreateOptions extends CallOptions {
  idempotencyKey: string;
}

/**
 * The calendar half of a provider: what events and availability need. Implementations throw
 * ProviderError: `expired_token` (401: refresh and retry once), `throttled` (429 after honouring
 * Retry-After), `timeout`, `unavailable`, `rejected`.
 */
export interface CalendarApi {
  /** Every event overlapping the window, recurrences expanded, all pages followed. */
  listEvents(accessToken: string, query: CalendarQuery, options?: CallOptions): Promise<CalendarEvent[]>;
  /** Periods the account is busy (tentative and out-of-office count; free does not). */
  busyTimes(accessToken: string, query: CalendarQuery, options?: CallOptions): Promise<TimeRange[]>;
  createEvent(accessToken: string, event: NewCalendarEvent, options: CreateOptions): Promise<CalendarEvent>;
  /**
   * Undoes a create that may or may not have happened (its answer was lost): finds the event its
   * idempotency key names by sending the create again with that key, which also claims the key so the
   * lost request cannot make the event later, and deletes it. Two requests on either provider.
   */
  undoCreate(accessToken: string, event: NewCalendarEvent, options: CreateOptions): Promise<void>;
  /** Cancels (deletes) an event, notifying attendees; an event already gone counts as cancelled. */
  cancelEvent(accessToken: string, eventId: string, options?: CancelOptions): Promise<void>;
  /** The account's calendars (Graph /me/calendars, Google calendarList), all pages followed. */
  listCalendars(accessToken: string, options?: CallOptions): Promise<Omit<ProviderCalendar, "provider">[]>;
}
