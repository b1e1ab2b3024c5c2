import type { CalendarEvent } from "@viewings/validators";
import { isoInZone, startOfDateInZone } from "../../time/zoned-time.js";

/** The parts of a Google Calendar event resource this backend reads. */
export interface GoogleEvent {
  id: string;
  status?: string;
  summary?: string;
  location?: string;
  start: { dateTime?: string; date?: string; timeZone?: string };
  end: { dateTime?: string; date?: string; timeZone?: string };
  attendees?: Array<{ email?: string; displayName?: string; responseStatus?: string; organizer?: boolean }>;
  hangoutLink?: string;
  conferenceData?: { entryPoints?: Array<{ entryPointType?: string; uri?: string }> };
  htmlLink?: string;
  transparency?: string;
}

const responses: Record<string, CalendarEvent["attendees"][number]["response"]> = {
  accepted: "accepted",
  declined: "declined",
  tentative: "tentative",
};

/** Timed events carry an RFC 3339 instant; all-day events a date (end exclusive) in the user's zone. */
export function googleEventBounds(event: GoogleEvent, timeZone: string): { start: Date; end: Date } {
  const read = (point: GoogleEvent["start"]) =>
    point.dateTime ? new Date(point.dateTime) : startOfDateInZone(point.date ?? "", timeZone);
  return { start: read(event.start), end: read(event.end) };
}

export function fromGoogleEvent(event: GoogleEvent, timeZone: string): CalendarEvent {
  const { start, end } = googleEventBounds(event, timeZone);
  const video = event.conferenceData?.entryPoints?.find((entry) => entry.entryPointType === "video")?.uri;
  const joinUrl = video ?? event.hangoutLink ?? null;
  return {
    id: event.id,
    provider: "google",
    title: event.summary ?? "",
    start: isoInZone(start, timeZone),
    end: isoInZone(end, timeZone),
    allDay: !event.start.dateTime,
    location: event.location || null,
    attendees: (event.attendees ?? []).map((attendee) => ({
      name: attendee.displayName ?? null,
      email: attendee.email ?? null,
      response: attendee.organizer ? "organizer" : (responses[attendee.responseStatus ?? ""] ?? "none"),
    })),
    isOnlineMeeting: joinUrl !== null,
    joinUrl,
    webLink: event.htmlLink ?? null,
  };
}
