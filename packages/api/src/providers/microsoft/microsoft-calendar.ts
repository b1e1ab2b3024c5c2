import type { CalendarEvent } from "@viewings/validators";
import { z } from "zod";
import type { TimeRange } from "../../time/time-ranges.js";
import { wallTimeInZone } from "../../time/zoned-time.js";
import { type ApiRequestOptions, anyAnswer, apiRequest } from "../api-request.js";
import type {
  CalendarApi,
  CalendarQuery,
  CallOptions,
  CreateOptions,
  NewCalendarEvent,
} from "../calendar-api.js";
import { ignoreGone, ProviderError } from "../provider-error.js";
import {
  fromGraphEvent,
  type GraphEvent,
  graphEventBounds,
  graphEventSchema,
  graphTime,
} from "./graph-event.js";

/** Graph answers in UTC; this backend converts to the user's zone itself (IANA, DST-aware). */
const utc = { prefer: 'outlook.timezone="UTC"' };
const fields =
  "id,subject,start,end,isAllDay,isCancelled,showAs,location,attendees,isOnlineMeeting,onlineMeeting,webLink";
/**
 * Statuses that leave the time bookable. Everything else blocks (busy, tentative, oof, and `unknown`,
 * which is safer to treat as taken than to double-book).
 */
const freeStatuses = new Set(["free", "workingElsewhere"]);
const isBusy = (status: string | null | undefined) => !freeStatuses.has(status ?? "busy");

/**
 * How long an account whose getSchedule failed goes straight to calendarView. A refusal (4xx or a
 * per-schedule error: personal accounts have no getSchedule) is for good; a 5xx, which Graph has also
 * been seen to answer for consumer mailboxes, only for a while, in case it was an outage.
 */
const scheduleRetryAfterServerErrorMs = 10 * 60_000;

/** The fields of a Graph calendar resource this backend reads. */
const graphCalendar = z.object({
  id: z.string().min(1),
  name: z.string().nullish(),
  isDefaultCalendar: z.boolean().nullish(),
  canEdit: z.boolean().nullish(),
});

/** getSchedule's answer for the one mailbox asked: its busy items, or the error reading it. */
const scheduleAnswer = z.object({
  value: z
    .array(
      z.object({
        error: z.unknown().optional(),
        scheduleItems: z
          .array(z.object({ status: z.string().nullish(), start: graphTime, end: graphTime }))
          .nullish(),
      }),
    )
    .optional(),
});

/** A Graph collection page. */
const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ value: z.array(item).optional(), "@odata.nextLink": z.string().optional() });

/** A created event: only its id is needed to undo it. */
const createdId = z.object({ id: z.string().min(1) });

/** Microsoft Graph calendar calls for one configured Graph base URL. */
export function createMicrosoftCalendar(graphUrl: string, options: ApiRequestOptions): CalendarApi {
  const graph = graphUrl.replace(/\/+$/, "");
  const graphOrigin = new URL(graph).origin;
  /** Accounts whose getSchedule failed, until when to skip it and go straight to calendarView. */
  const withoutSchedule = new Map<string, number>();

  /** Every page of a Graph collection, following @odata.nextLink on Graph's own origin only. */
  async function pages<T>(
    label: string,
    item: z.ZodType<T>,
    first: string,
    accessToken: string,
    signal?: AbortSignal,
  ): Promise<T[]> {
    const items: T[] = [];
    const page = pageOf(item);
    for (let url: string | undefined = first; url; ) {
      // A nextLink elsewhere would receive the bearer token: only follow links on Graph's own origin.
      if (new URL(url).origin !== graphOrigin)
        throw new ProviderError("rejected", `${label}: foreign nextLink`);
      const answer: z.infer<typeof page> = await apiRequest(
        label,
        { url, accessToken, headers: utc, signal },
        options,
        page,
      );
      items.push(...(answer.value ?? []));
      url = answer["@odata.nextLink"];
    }
    return items;
  }

  /** The events of the default calendar, or of one calendar by id (`/me/calendars/{id}/calendarView`). */
  async function calendarView(
    accessToken: string,
    query: CalendarQuery,
    { signal }: CallOptions = {},
    calendarId?: string,
  ): Promise<GraphEvent[]> {
    const path = calendarId
      ? `me/calendars/${encodeURIComponent(calendarId)}/calendarView`
      : "me/calendarView";
    const first = new URL(`${graph}/${path}`);
    first.search = new URLSearchParams({
      startDateTime: query.from.toISOString(),
      endDateTime: query.to.toISOString(),
      $select: fields,
      $top: "200",
    }).toString();
    const events = await pages("Graph calendarView", graphEventSchema, first.toString(), accessToken, signal);
    return events.filter((event) => !event.isCancelled);
  }

  /** A POST that may be sent twice (a read, or a create keyed by transactionId): retried after a 429/503. */
  function repeatablePost<T>(
    label: string,
    url: string,
    accessToken: string,
    body: unknown,
    signal: AbortSignal | undefined,
    answer: z.ZodType<T>,
  ): Promise<T> {
    const request = {
      method: "POST",
      url,
      accessToken,
      body,
      headers: utc,
      idempotent: true,
      signal,
    } as const;
    return apiRequest(label, request, options, answer);
  }

  async function schedule(
    accessToken: string,
    query: CalendarQuery,
    email: string,
    signal: AbortSignal | undefined,
  ): Promise<TimeRange[] | "unsupported" | "failed"> {
    const body = {
      schedules: [email],
      startTime: { dateTime: wallTimeInZone(query.from, "UTC"), timeZone: "UTC" },
      endTime: { dateTime: wallTimeInZone(query.to, "UTC"), timeZone: "UTC" },
      availabilityViewInterval: 15,
    };
    try {
      // A read: safe to repeat.
      const url = `${graph}/me/calendar/getSchedule`;
      const answer = await repeatablePost(
        "Graph getSchedule",
        url,
        accessToken,
        body,
        signal,
        scheduleAnswer,
      );
      const [entry] = answer.value ?? [];
      if (!entry || entry.error) return "unsupported";
      return (entry.scheduleItems ?? [])
        .filter((item) => isBusy(item.status))
        .map((item) => graphEventBounds({ id: "", start: item.start, end: item.end }, query.timeZone));
    } catch (error) {
      // Throttling, timeouts and a refused token are the caller's to handle; any other failure of this
      // optional call is answered from calendarView instead.
      if (!(error instanceof ProviderError)) throw error;
      if (error.kind === "rejected") return "unsupported";
      if (error.kind === "unavailable") return "failed";
      throw error;
    }
  }

  /** POSTs the event under the key's transactionId and reads the answer with `answer`. */
  function postEvent<T>(
    accessToken: string,
    event: NewCalendarEvent,
    { signal, idempotencyKey }: CreateOptions,
    answer: z.ZodType<T>,
  ): Promise<T> {
    const body = {
      // Graph answers a repeated POST carrying the same transactionId with the event it already made.
      transactionId: idempotencyKey,
      subject: event.title,
      body: { contentType: "text", content: event.description ?? "" },
      start: { dateTime: wallTimeInZone(event.start, event.timeZone), timeZone: event.timeZone },
      end: { dateTime: wallTimeInZone(event.end, event.timeZone), timeZone: event.timeZone },
      attendees: event.attendees.map((attendee) => ({
        emailAddress: { address: attendee.email, ...(attendee.name ? { name: attendee.name } : {}) },
        type: "required",
      })),
      ...(event.location ? { location: { displayName: event.location } } : {}),
    };
    const events = event.calendarId
      ? `me/calendars/${encodeURIComponent(event.calendarId)}/events`
      : "me/events";
    return repeatablePost("Graph create event", `${graph}/${events}`, accessToken, body, signal, answer);
  }

  async function deleteEvent(
    accessToken: string,
    eventId: string,
    { signal }: CallOptions = {},
  ): Promise<void> {
    const url = `${graph}/me/events/${encodeURIComponent(eventId)}`;
    await apiRequest(
      "Graph delete event",
      { method: "DELETE", url, accessToken, signal },
      options,
      anyAnswer,
    ).catch(ignoreGone);
  }

  return {
    async listEvents(accessToken, query, callOptions): Promise<CalendarEvent[]> {
      return (await calendarView(accessToken, query, callOptions)).map((event) =>
        fromGraphEvent(event, query.timeZone),
      );
    },

    async busyTimes(accessToken, query, callOptions = {}): Promise<TimeRange[]> {
      if (query.calendarIds) {
        // Chosen calendars: getSchedule answers for a whole mailbox, so each calendar's events are read.
        const perCalendar = await Promise.all(
          query.calendarIds.map((id) => calendarView(accessToken, query, callOptions, id)),
        );
        return perCalendar
          .flat()
          .filter((event) => isBusy(event.showAs))
          .map((event) => graphEventBounds(event, query.timeZone));
      }
      const email = query.accountEmail;
      if (email && (withoutSchedule.get(email) ?? 0) <= Date.now()) {
        const busy = await schedule(accessToken, query, email, callOptions.signal);
        if (Array.isArray(busy)) return busy;
        withoutSchedule.set(
          email,
          busy === "unsupported" ? Number.POSITIVE_INFINITY : Date.now() + scheduleRetryAfterServerErrorMs,
        );
      }
      // Personal accounts have no getSchedule: derive busy time from the events, as Outlook does.
      return (await calendarView(accessToken, query, callOptions))
        .filter((event) => isBusy(event.showAs))
        .map((event) => graphEventBounds(event, query.timeZone));
    },

    async createEvent(accessToken, event, create): Promise<CalendarEvent> {
      return fromGraphEvent(await postEvent(accessToken, event, create, graphEventSchema), event.timeZone);
    },

    async undoCreate(accessToken, event, create): Promise<void> {
      // The repeated transactionId answers the event the lost request made (or makes it now).
      const made = await postEvent(accessToken, event, create, createdId);
      await deleteEvent(accessToken, made.id, create);
    },

    // An event id is unique in the mailbox, whichever calendar holds it.
    cancelEvent: deleteEvent,

    async listCalendars(accessToken, { signal } = {}) {
      const url = `${graph}/me/calendars?$select=id,name,isDefaultCalendar,canEdit&$top=100`;
      const calendars = await pages("Graph list calendars", graphCalendar, url, accessToken, signal);
      return calendars.map((entry) => ({
        calendarId: entry.id,
        name: entry.name ?? "",
        primary: entry.isDefaultCalendar === true,
        canWrite: entry.canEdit !== false,
      }));
    },
  };
}
