import type { CalendarEvent } from "@viewings/validators";
import type { TimeRange } from "../services/events/time-ranges.js";

/** A time window asked of a provider, and the zone its answers are presented in. */
export interface CalendarQuery {
  from: Date;
  to: Date;
  timeZone: string;
  /** The connected account's address; Microsoft's getSchedule is addressed by it. */
  accountEmail: string | null;
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
}

/**
 * The calendar half of a provider: what events and availability need. Implementations throw
 * ProviderError: `expired_token` (401: refresh and retry once), `throttled` (429 after honouring
 * Retry-After), `timeout`, `unavailable`, `rejected`.
 */
export interface CalendarApi {
  /** Every event overlapping the window, recurrences expanded, all pages followed. */
  listEvents(accessToken: string, query: CalendarQuery): Promise<CalendarEvent[]>;
  /** Periods the account is busy (tentative and out-of-office count; free does not). */
  busyTimes(accessToken: string, query: CalendarQuery): Promise<TimeRange[]>;
  createEvent(accessToken: string, event: NewCalendarEvent): Promise<CalendarEvent>;
  /** Cancels (deletes) an event, notifying attendees; an event already gone counts as cancelled. */
  cancelEvent(accessToken: string, eventId: string): Promise<void>;
}
