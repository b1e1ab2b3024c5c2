import type { CalendarEvent } from "@viewings/validators";
import { instantFromWallTime, isoInZone, startOfDateInZone } from "../../time/zoned-time.js";

/** The parts of a Graph event resource this backend reads. */
export interface GraphEvent {
  id: string;
  subject?: string | null;
  start: { dateTime: string; timeZone: string };
  end: { dateTime: string; timeZone: string };
  isAllDay?: boolean;
  isCancelled?: boolean;
  showAs?: string;
  location?: { displayName?: string | null } | null;
  attendees?: Array<{
    emailAddress?: { name?: string | null; address?: string | null };
    status?: { response?: string };
  }>;
  isOnlineMeeting?: boolean;
  onlineMeeting?: { joinUrl?: string | null } | null;
  webLink?: string | null;
}

const responses: Record<string, CalendarEvent["attendees"][number]["response"]> = {
  accepted: "accepted",
  declined: "declined",
  tentativelyAccepted: "tentative",
  organizer: "organizer",
};

function bounds(event: GraphEvent, timeZone: string): { start: Date; end: Date } {
  if (event.isAllDay) {
    // All-day events are dates, not instants: they span the user's local day wherever they are.
    return {
      start: startOfDateInZone(event.start.dateTime, timeZone),
      end: startOfDateInZone(event.end.dateTime, timeZone),
    };
  }
  return {
    start: instantFromWallTime(event.start.dateTime, event.start.timeZone),
    end: instantFromWallTime(event.end.dateTime, event.end.timeZone),
  };
}

export function graphEventBounds(event: GraphEvent, timeZone: string) {
  return bounds(event, timeZone);
}

export function fromGraphEvent(event: GraphEvent, timeZone: string): CalendarEvent {
  const { start, end } = bounds(event, timeZone);
  return {
    id: event.id,
    provider: "microsoft",
    title: event.subject ?? "",
    start: isoInZone(start, timeZone),
    end: isoInZone(end, timeZone),
    allDay: event.isAllDay ?? false,
    location: event.location?.displayName || null,
    attendees: (event.attendees ?? []).map((attendee) => ({
      name: attendee.emailAddress?.name ?? null,
      email: attendee.emailAddress?.address ?? null,
      response: responses[attendee.status?.response ?? ""] ?? "none",
    })),
    isOnlineMeeting: event.isOnlineMeeting ?? false,
    joinUrl: event.onlineMeeting?.joinUrl ?? null,
    webLink: event.webLink ?? null,
  };
}
