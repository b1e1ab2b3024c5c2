import { appointmentStatus, claimAppointment, markAppointmentBooked, releaseAppointment } from "@viewings/db";
import { z } from "zod";
import type { TimeRange } from "../../../time/time-ranges.js";
import { BookingUnconfirmedError } from "../../scheduling/booking.js";
import { ruleBreach } from "../../scheduling/booking-rules.js";
import { SlotTakenError, UnbookableTimeError } from "../../scheduling/slot-taken.js";
import { phraseSlots } from "../slot-phrasing.js";
import { readModelTime, spokenDateTime } from "../spoken-time.js";
import { failed, said, type ToolContext, type ToolOutcome } from "../tool-context.js";

const noNul = (value: string) => !value.includes("\u0000");
const text = (max: number) => z.string().trim().min(1).max(max).refine(noNul);

/**
 * Bounded by what the booking must fit: the event title "Property Viewing: {address}" within Graph's
 * 255-character subject, names and phones within their appointment columns.
 */
const args = z.looseObject({
  property_address: text(200),
  start_time: z.string().trim().min(1).max(64),
  attendee_name: text(200),
  attendee_email: z.email().max(255).optional().or(z.literal("")),
  attendee_phone: z.string().trim().max(50).refine(noNul).optional(),
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
  const slot = { start, end: new Date(start.getTime() + ctx.rules.viewingMinutes * 60_000) };
  // Checked before anything is written; the booking path checks again (and the buffers and cap).
  const breach = ruleBreach(ctx.rules, slot, ctx.events.now());
  if (breach) return alternatives(ctx, await ctx.events.nearestFree(ctx.owner.id, slot, ctx.rules), breach);

  const claim = await claimAppointment(ctx.db, {
    agentId: ctx.agent.id,
    vapiCallId: ctx.callId,
    toolCallId: ctx.toolCallId,
    propertyAddress: input.property_address,
    startAt: slot.start,
    endAt: slot.end,
    attendeeName: input.attendee_name,
    attendeeEmail: input.attendee_email || null,
    attendeePhone: input.attendee_phone || null,
  });
  if (!claim.claimed) {
    if (appointmentStatus(claim.row) === "booked")
      return confirmation(ctx, claim.row.propertyAddress, claim.row.startAt, claim.row.id);
    return failed("That booking is already being handled; please wait a moment.");
  }

  try {
    const booked = await ctx.events.book(
      ctx.owner,
      {
        title: `Property Viewing: ${input.property_address}`,
        ...slot,
        timeZone: ctx.timeZone,
        attendees: input.attendee_email
          ? [{ email: input.attendee_email.toLowerCase(), name: input.attendee_name }]
          : [],
        location: input.property_address,
        description: `Booked by the voice assistant for ${input.attendee_name}${input.attendee_phone ? `, phone ${input.attendee_phone}` : ""}.`,
        // Per agent: the same tool call id from another assistant is another booking.
        idempotencyKey: `vapi:${ctx.agent.id}:${ctx.toolCallId}`,
        source: "voice",
        rules: ctx.rules,
        enforceTiming: true,
      },
      ctx.deadline(),
    );
    await markAppointmentBooked(ctx.db, claim.row.id, booked.bookingId);
    return confirmation(ctx, input.property_address, slot.start, claim.row.id);
  } catch (error) {
    // Outcome unknown: the claim stays, so VAPI's retry of this call is told it is being handled.
    if (error instanceof BookingUnconfirmedError) {
      return failed(
        "I couldn't get the calendar to confirm in time, so the viewing may or may not be booked. Please don't book again; the landlord will confirm.",
      );
    }
    await releaseAppointment(ctx.db, claim.row.id);
    if (error instanceof UnbookableTimeError) {
      const reason = error instanceof SlotTakenError ? "That time is already taken." : error.reasonText;
      return alternatives(ctx, error.alternatives, reason);
    }
    throw error;
  }
}

function confirmation(ctx: ToolContext, address: string, start: Date, appointmentId: string): ToolOutcome {
  return said(
    `Booked a viewing of ${address} on ${spokenDateTime(start, ctx.timeZone)}. Appointment id ${appointmentId}.`,
  );
}

function alternatives(ctx: ToolContext, nearest: readonly TimeRange[], reason: string): ToolOutcome {
  if (nearest.length === 0) return failed(`${reason} There are no free times close to it; try another day.`);
  return failed(`${reason} The nearest free times are: ${phraseSlots(nearest, ctx.timeZone)}.`);
}
