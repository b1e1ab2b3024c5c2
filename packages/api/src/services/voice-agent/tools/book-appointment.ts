import { claimAppointment, markAppointmentBooked, releaseAppointment } from "@viewings/db";
import { DateTime } from "luxon";
import { z } from "zod";
import { DomainError } from "../../../errors.js";
import { nearestSlots, phraseSlots } from "../slot-phrasing.js";
import { readModelTime, spokenDateTime } from "../spoken-time.js";
import { failed, said, type ToolContext, type ToolOutcome } from "../tool-context.js";

const args = z.looseObject({
  property_address: z.string().trim().min(1).max(500),
  start_time: z.string().trim().min(1),
  attendee_name: z.string().trim().min(1).max(200),
  attendee_email: z.email().max(255).optional().or(z.literal("")),
  attendee_phone: z.string().trim().max(50).optional(),
});

const askFor: Record<string, string> = {
  property_address: "the property address",
  start_time: "the date and time of the viewing",
  attendee_name: "the caller's name",
  attendee_email: "a valid email address (or none)",
  attendee_phone: "a shorter phone number",
};

/** Books "Property Viewing: {address}" on the landlord's calendar, once per tool call id. */
export async function bookAppointment(ctx: ToolContext, raw: Record<string, unknown>): Promise<ToolOutcome> {
  const parsed = args.safeParse(raw);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((issue) => String(issue.path[0])))];
    return failed(`To book I need ${fields.map((field) => askFor[field] ?? field).join(" and ")}.`);
  }
  const input = parsed.data;
  const start = readModelTime(input.start_time, ctx.timeZone);
  if (!start) return failed("I need a date and time for the viewing, such as 2026-03-03T14:00.");
  if (start.getTime() < Date.now()) return failed("That time has already passed. Which upcoming time works?");
  const end = new Date(start.getTime() + ctx.agent.viewingMinutes * 60_000);

  const claim = await claimAppointment(ctx.db, {
    agentId: ctx.agent.id,
    vapiCallId: ctx.callId,
    toolCallId: ctx.toolCallId,
    propertyAddress: input.property_address,
    startAt: start,
    endAt: end,
    attendeeName: input.attendee_name,
    attendeeEmail: input.attendee_email || null,
    attendeePhone: input.attendee_phone || null,
  });
  if (!claim.claimed) {
    if (claim.row.status === "booked")
      return confirmation(ctx, claim.row.propertyAddress, claim.row.startAt, claim.row.id);
    return failed("That booking is already being handled; please wait a moment.");
  }
  if (!withinWorkingHours(start, end, ctx.timeZone)) {
    await releaseAppointment(ctx.db, claim.row.id);
    return alternatives(ctx, start, "That time is outside viewing hours.");
  }

  try {
    const event = await ctx.events.create(ctx.owner, {
      title: `Property Viewing: ${input.property_address}`,
      start: start.toISOString(),
      end: end.toISOString(),
      timeZone: ctx.timeZone,
      attendees: input.attendee_email
        ? [{ email: input.attendee_email.toLowerCase(), name: input.attendee_name }]
        : [],
      location: input.property_address,
      description: `Booked by the voice assistant for ${input.attendee_name}${input.attendee_phone ? `, phone ${input.attendee_phone}` : ""}.`,
      idempotencyKey: `vapi:${ctx.toolCallId}`,
    });
    await markAppointmentBooked(ctx.db, claim.row.id, {
      provider: event.provider,
      providerEventId: event.id,
    });
    return confirmation(ctx, input.property_address, start, claim.row.id);
  } catch (error) {
    await releaseAppointment(ctx.db, claim.row.id);
    if (error instanceof DomainError && error.kind === "conflict") {
      return alternatives(ctx, start, "That time is already taken.");
    }
    throw error;
  }
}

function confirmation(ctx: ToolContext, address: string, start: Date, appointmentId: string): ToolOutcome {
  return said(
    `Booked a viewing of ${address} on ${spokenDateTime(start, ctx.timeZone)}. Appointment id ${appointmentId}.`,
  );
}

/** Monday to Friday, 09:00-17:00 in the landlord's zone, as the availability tool offers. */
function withinWorkingHours(start: Date, end: Date, timeZone: string): boolean {
  const from = DateTime.fromJSDate(start, { zone: timeZone });
  const to = DateTime.fromJSDate(end, { zone: timeZone });
  const minutes = (time: DateTime) => time.hour * 60 + time.minute;
  return from.weekday <= 5 && from.hasSame(to, "day") && minutes(from) >= 9 * 60 && minutes(to) <= 17 * 60;
}

async function alternatives(ctx: ToolContext, wanted: Date, reason: string): Promise<ToolOutcome> {
  const from = new Date(Math.max(Date.now(), wanted.getTime() - 2 * 86_400_000));
  const { slots } = await ctx.events.availability(ctx.owner, {
    from: from.toISOString(),
    to: new Date(wanted.getTime() + 3 * 86_400_000).toISOString(),
    durationMinutes: ctx.agent.viewingMinutes,
    timeZone: ctx.timeZone,
    bufferMinutes: 0,
  });
  const nearest = nearestSlots(
    slots.map((slot) => ({ start: new Date(slot.start), end: new Date(slot.end) })),
    wanted,
  );
  if (nearest.length === 0) return failed(`${reason} There are no free times close to it; try another day.`);
  return failed(`${reason} The nearest free times are: ${phraseSlots(nearest, ctx.timeZone)}.`);
}
