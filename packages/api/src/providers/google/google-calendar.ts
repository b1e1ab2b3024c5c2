import { createHash } from "node:crypto";
import type { CalendarEvent } from "@viewings/validators";
import { z } from "zod";
import type { TimeRange } from "../../time/time-ranges.js";
import { isoInZone } from "../../time/zoned-time.js";
import { type ApiRequestOptions, anyAnswer, apiRequest } from "../api-request.js";
import type {
  CalendarApi,
  CalendarQuery,
  CallOptions,
  CancelOptions,
  CreateOptions,
  NewCalendarEvent,
} from "../calendar-api.js";
import { ignoreGone, ProviderError } from "../provider-error.js";
import { fromGoogleEvent, type GoogleEvent, googleEventSchema } from "./google-event.js";

/**
 * Google's client-supplied event id for an idempotency key: ids must be base32hex (a-v, 0-9), 5 to
 * 1024 characters; a SHA-256 in hex (0-9, a-f) is that, for any key.
 */
export function googleEventIdFor(idempotencyKey: string): string {
  return createHash("sha256").update(idempotencyKey).digest("hex");
}

/** The fields of a calendarList entry this backend reads. */
const calendarListEntry = z.object({
  id: z.string().min(1),
  summary: z.string().optional(),
  summaryOverride: z.string().optional(),
  primary: z.boolean().optional(),
  accessRole: z.string().optional(),
});

/** A Calendar v3 list page. */
const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item).optional(), nextPageToken: z.string().optional() });

/** freeBusy: per calendar asked, its busy periods or the errors reading it. */
const freeBusyAnswer = z.object({
  calendars: z
    .record(
      z.string(),
      z.object({
        busy: z
          .array(z.object({ start: z.iso.datetime({ offset: true }), end: z.iso.datetime({ offset: true }) }))
          .optional(),
        errors: z.array(z.unknown()).optional(),
      }),
    )
    .optional(),
});

/** Google Calendar v3 calls for one configured API base URL (https://www.googleapis.com). */
export function createGoogleCalendar(apiUrl: string, options: ApiRequestOptions): CalendarApi {
  const calendar = `${apiUrl.replace(/\/+$/, "")}/calendar/v3`;
  /** A calendar's events collection; "primary" is the account's own calendar. */
  const eventsOf = (calendarId = "primary") =>
    `${calendar}/calendars/${encodeURIComponent(calendarId)}/events`;

  /** Every page of a Calendar v3 list (`items`, `nextPageToken`). */
  async function allPages<T>(
    label: string,
    item: z.ZodType<T>,
    url: string,
    params: Record<string, string>,
    accessToken: string,
    signal: AbortSignal | undefined,
  ): Promise<T[]> {
    const all: T[] = [];
    const page = pageOf(item);
    let pageToken: string | undefined;
    do {
      const answer = await apiRequest(
        label,
        {
          url: `${url}?${new URLSearchParams({ ...params, ...(pageToken ? { pageToken } : {}) })}`,
          accessToken,
          signal,
        },
        options,
        page,
      );
      all.push(...(answer.items ?? []));
      pageToken = answer.nextPageToken;
    } while (pageToken);
    return all;
  }

  async function events(
    accessToken: string,
    query: CalendarQuery,
    { signal }: CallOptions = {},
  ): Promise<GoogleEvent[]> {
    const params = {
      timeMin: query.from.toISOString(),
      timeMax: query.to.toISOString(),
      // Expands recurring events into their instances, as the listing shows them.
      singleEvents: "true",
      orderBy: "startTime",
      maxResults: "2500",
    };
    const all = await allPages(
      "Google events.list",
      googleEventSchema,
      eventsOf(),
      params,
      accessToken,
      signal,
    );
    return all.filter((event) => event.status !== "cancelled");
  }

  /** events.insert under the key's id: 409 duplicate when an earlier attempt with the key made it. */
  function insert<T>(
    accessToken: string,
    event: NewCalendarEvent,
    create: CreateOptions,
    answer: z.ZodType<T>,
  ) {
    const body = {
      id: googleEventIdFor(create.idempotencyKey),
      summary: event.title,
      ...(event.description ? { description: event.description } : {}),
      ...(event.location ? { location: event.location } : {}),
      start: { dateTime: isoInZone(event.start, event.timeZone), timeZone: event.timeZone },
      end: { dateTime: isoInZone(event.end, event.timeZone), timeZone: event.timeZone },
      attendees: event.attendees.map((attendee) => ({
        email: attendee.email,
        ...(attendee.name ? { displayName: attendee.name } : {}),
      })),
    };
    const url = `${eventsOf(event.calendarId)}?sendUpdates=all`;
    const { signal } = create;
    return apiRequest(
      "Google events.insert",
      { method: "POST", url, accessToken, body, idempotent: true, signal },
      options,
      answer,
    );
  }

  const isDuplicate = (error: unknown) => error instanceof ProviderError && error.status === 409;

  async function createEvent(
    accessToken: string,
    event: NewCalendarEvent,
    create: CreateOptions,
  ): Promise<CalendarEvent> {
    const created = await insert(accessToken, event, create, googleEventSchema).catch(
      async (error: unknown): Promise<GoogleEvent> => {
        // An earlier attempt with this key made the event: answer that one.
        if (!isDuplicate(error)) throw error;
        const url = `${eventsOf(event.calendarId)}/${googleEventIdFor(create.idempotencyKey)}`;
        const read = { url, accessToken, signal: create.signal };
        return apiRequest("Google events.get", read, options, googleEventSchema);
      },
    );
    return fromGoogleEvent(created, event.timeZone);
  }

  async function deleteEvent(
    accessToken: string,
    eventId: string,
    { signal, calendarId }: CancelOptions = {},
  ): Promise<void> {
    const url = `${eventsOf(calendarId)}/${encodeURIComponent(eventId)}?sendUpdates=all`;
    await apiRequest(
      "Google events.delete",
      { method: "DELETE", url, accessToken, signal },
      options,
      anyAnswer,
    ).catch(ignoreGone);
  }

  return {
    async listEvents(accessToken, query, callOptions): Promise<CalendarEvent[]> {
      return (await events(accessToken, query, callOptions)).map((event) =>
        fromGoogleEvent(event, query.timeZone),
      );
    },

    async busyTimes(accessToken, query, { signal } = {}): Promise<TimeRange[]> {
      const ids = query.calendarIds ?? ["primary"];
      const answer = await apiRequest(
        "Google freeBusy",
        {
          method: "POST",
          url: `${calendar}/freeBusy`,
          accessToken,
          body: {
            timeMin: query.from.toISOString(),
            timeMax: query.to.toISOString(),
            timeZone: "UTC",
            items: ids.map((id) => ({ id })),
          },
          // A read: safe to repeat after a 429/503.
          idempotent: true,
          signal,
        },
        options,
        freeBusyAnswer,
      );
      return ids.flatMap((id) => {
        // A calendar that could not be read must not look free.
        const entry = answer.calendars?.[id];
        if (!entry || entry.errors?.length)
          throw new ProviderError("unavailable", `Google freeBusy: no answer for ${id}`);
        return (entry.busy ?? []).map((busy) => ({ start: new Date(busy.start), end: new Date(busy.end) }));
      });
    },

    createEvent,

    async undoCreate(accessToken, event, create): Promise<void> {
      // Inserting with the key's id claims it (409 when the lost request made the event); the id is
      // then deleted, and stays taken, so the lost request cannot make the event afterwards.
      // Only the status matters here: the event is deleted by the id the key names.
      await insert(accessToken, event, create, anyAnswer).catch((error: unknown) => {
        if (!isDuplicate(error)) throw error;
      });
      await deleteEvent(accessToken, googleEventIdFor(create.idempotencyKey), {
        signal: create.signal,
        calendarId: event.calendarId,
      });
    },

    cancelEvent: deleteEvent,

    async listCalendars(accessToken, { signal } = {}) {
      const entries = await allPages(
        "Google calendarList",
        calendarListEntry,
        `${calendar}/users/me/calendarList`,
        { maxResults: "250" },
        accessToken,
        signal,
      );
      return entries.map((entry) => ({
        calendarId: entry.id,
        name: entry.summaryOverride ?? entry.summary ?? entry.id,
        primary: entry.primary === true,
        canWrite: entry.accessRole === "owner" || entry.accessRole === "writer",
      }));
    },
  };
}
