import { callIdsFromNumber, findBookedAppointment } from "@viewings/db";
import { z } from "zod";
import { readModelTime, spokenDateTime } from "../spoken-time.js";
import { failed, said, type ToolContext, type ToolOutcome } from "../tool-context.js";

const args = z.looseObject({
  appointment_id: z.uuid().optional(),
  start_time: z.string().trim().min(1).optional(),
});

/**
 * The VAPI calls whose bookings this call may cancel by start time: itself, and earlier calls from
 * the same number. A start time alone is easy to guess; the caller must be the one who booked.
 */
async function callsOfThisCaller(ctx: ToolContext): Promise<string[]> {
  const earlier = ctx.callerNumber ? await callIdsFromNumber(ctx.db, ctx.agent.id, ctx.callerNumber) : [];
  return [...new Set([...(ctx.callId ? [ctx.callId] : []), ...earlier])];
}

/**
 * Cancels a viewing this assistant booked: by its appointment id (told only to the call that booked
 * it), or by its start time when it was booked on this call or from the caller's number.
 */
export async function cancelAppointment(
  ctx: ToolContext,
  raw: Record<string, unknown>,
): Promise<ToolOutcome> {
  const parsed = args.safeParse(raw);
  const startAt =
    parsed.success && parsed.data.start_time ? readModelTime(parsed.data.start_time, ctx.timeZone) : null;
  const id = parsed.success ? parsed.data.appointment_id : undefined;
  const match = id ? { id } : startAt ? { startAt, bookedOnCalls: await callsOfThisCaller(ctx) } : null;
  if (!match) return failed("To cancel I need the appointment id or the viewing's date and time.");

  const appointment = await findBookedAppointment(ctx.db, ctx.agent.id, match);
  if (!appointment?.booking) {
    return failed(
      id
        ? "I couldn't find a booked viewing with that appointment id."
        : "I couldn't find a viewing at that time booked on this call or from this phone number. To cancel another booking I need its appointment id.",
    );
  }
  // The booking is the record: cancelling it deletes the event and marks the viewing cancelled.
  await ctx.events.cancel(ctx.owner.id, appointment.booking.id);
  return said(
    `Cancelled the viewing of ${appointment.propertyAddress} on ${spokenDateTime(appointment.startAt, ctx.timeZone)}.`,
  );
}
