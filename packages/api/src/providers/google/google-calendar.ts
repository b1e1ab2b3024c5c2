import type { CalendarEvent } from "@viewings/validators";
import type { TimeRange } from "../../services/events/time-ranges.js";
import { type ApiRequestOptions, apiRequest } from "../api-request.js";
import type { CalendarApi, CalendarQuery, NewCalendarEvent } from "../calendar-api.js";
import { ignoreGone, ProviderError } from "../provider-error.js";
import { isoInZone } from "../zoned-time.js";
import { fromGoogleEvent, type GoogleEvent } from "./google-event.js";

/** Google Calendar v3 calls for one configured API base URL (https://www.googleapis.com). */
export function createGoogleCalendar(apiUrl: string, options: ApiRequestOptions): CalendarApi {
  const calendar = `${apiUrl.replace(/\/+$/, "")}/calendar/v3`;

  async function events(accessToken: string, query: CalendarQuery): Promise<GoogleEvent[]> {
    const all: GoogleEvent[] = [];
    let pageToken: string | undefined;
    do {
      const url = new URL(`${calendar}/calendars/primary/events`);
      url.search = new URLSearchParams({
        timeMin: query.from.toISOString(),
        timeMax: query.to.toISOString(),
        // Expands recurring events into their instances, as the listing shows them.
        singleEvents: "true",
        orderBy: "startTime",
        maxResults: "2500",
        ...(pageToken ? { pageToken } : {}),
      }).toString();
      const page = await apiRequest("Google events.list", { url: url.toString(), accessToken }, options);
      all.push(...((page.items as GoogleEvent[] | undefined) ?? []));
      pageToken = typeof page.nextPageToken === "string" ? page.nextPageToken : undefined;
    } while (pageToken);
    return all.filter((event) => event.status !== "cancelled");
  }

  return {
    async listEvents(accessToken, query): Promise<CalendarEvent[]> {
      return (await events(accessToken, query)).map((event) => fromGoogleEvent(event, query.timeZone));
    },

    async busyTimes(accessToken, query): Promise<TimeRange[]> {
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
            items: [{ id: "primary" }],
          },
        },
        options,
      );
      const primary = (
        answer.calendars as Record<
          string,
          { busy?: Array<{ start: string; end: string }>; errors?: unknown[] }
        >
      )?.primary;
      if (!primary || primary.errors?.length)
        throw new ProviderError("unavailable", "Google freeBusy: no answer for primary");
      return (primary.busy ?? []).map((busy) => ({ start: new Date(busy.start), end: new Date(busy.end) }));
    },

    async createEvent(accessToken, event: NewCalendarEvent): Promise<CalendarEvent> {
      const body = {
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
      const created = await apiRequest(
        "Google events.insert",
        { method: "POST", url: `${calendar}/calendars/primary/events?sendUpdates=all`, accessToken, body },
        options,
      );
      return fromGoogleEvent(created as unknown as GoogleEvent, event.timeZone);
    },

    async cancelEvent(accessToken, eventId): Promise<void> {
      const url = `${calendar}/calendars/primary/events/${encodeURIComponent(eventId)}?sendUpdates=all`;
      await apiRequest("Google events.delete", { method: "DELETE", url, accessToken }, options).catch(
        ignoreGone,
      );
    },
  };
}
