import type { CalendarEvent } from "@viewings/validators";
import { z } from "zod";
import { instantFromWallTime, isoInZone, startOfDateInZone } from "../../time/zoned-time.js";

/** Graph's dateTimeTimeZone: a wall time and the zone it is in (UTC here, see Prefer). */
export const graphTime = z.object({ dateTime: z.string().min(1), timeZone: z.string().min(1) });

/** The parts of a Graph event resource this backend reads. */
export const graphEventSchema = z.object({
  id: z.string().min(1),
  subject: z.string().nullish(),
  start: graphTime,
  end: graphTime,
  isAllDay: z.boolean().nullish(),
  isCancelled: z.boolean().nullish(),
  showAs: z.string().nullish(),
  location: z.object({ displayName: z.string().nullish() }).nullish(),
  attendees: z
    .array(
      z.object({
        emailAddress: z.object({ name: z.string().nullish(), address: z.string().nullish() }).nullish(),
        status: z.object({ response: z.string().nullish() }).nullish(),
      }),
    )
    .nullish(),
  isOnlineMeeting: z.boolean().nullish(),
  onlineMeeting: z.object({ joinUrl: z.string().nullish() }).nullish(),
  webLink: z.string().nullish(),
});

export type GraphEvent = z.infer<typeof graphEventSchema>;

const responses: Record<string, CalendarEvent["attendees"][number]["response"]> = {
  accepted: "accepted",
  declined: "declined",
  tentativelyAccepted: "tentative",
  organizer: "organizer",
};

export function graphEventBounds(event: GraphEvent, timeZone: string): { start: Date; end: Date } {
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

export function fromGraphEvent(event: GraphEvent, timeZone: string): CalendarEvent {
  const { start, end } = graphEventBounds(event, timeZone);
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
