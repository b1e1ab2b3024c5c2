import type { CalendarEvent } from "@viewings/validators";
import { z } from "zod";
import { isoInZone, startOfDateInZone } from "../../time/zoned-time.js";

/** An event's start or end: an RFC 3339 instant for timed events, a date for all-day ones. */
const googleTime = z
  .object({
    dateTime: z.iso.datetime({ offset: true }).optional(),
    date: z.iso.date().optional(),
    timeZone: z.string().optional(),
  })
  .refine((point) => point.dateTime !== undefined || point.date !== undefined, "dateTime or date");

/** The parts of a Google Calendar event resource this backend reads. */
export const googleEventSchema = z.object({
  id: z.string().min(1),
  status: z.string().optional(),
  summary: z.string().optional(),
  location: z.string().optional(),
  start: googleTime,
  end: googleTime,
  attendees: z
    .array(
      z.object({
        email: z.string().optional(),
        displayName: z.string().optional(),
        responseStatus: z.string().optional(),
        organizer: z.boolean().optional(),
      }),
    )
    .optional(),
  hangoutLink: z.string().optional(),
  conferenceData: z
    .object({
      entryPoints: z
        .array(z.object({ entryPointType: z.string().optional(), uri: z.string().optional() }))
        .optional(),
    })
    .optional(),
  htmlLink: z.string().optional(),
});

export type GoogleEvent = z.infer<typeof googleEventSchema>;

const responses: Record<string, CalendarEvent["attendees"][number]["response"]> = {
  accepted: "accepted",
  declined: "declined",
  tentative: "tentative",
};

/** Timed events carry an RFC 3339 instant; all-day events a date (end exclusive) in the user's zone. */
function googleEventBounds(event: GoogleEvent, timeZone: string): { start: Date; end: Date } {
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
