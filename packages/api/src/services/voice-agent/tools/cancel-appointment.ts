import { findBookedAppointment, markAppointmentCancelled } from "@viewings/db";
import type { CalendarProviderId } from "@viewings/validators";
import { z } from "zod";
import { readModelTime, spokenDateTime } from "../spoken-time.js";
import { failed, said, type ToolContext, type ToolOutcome } from "../tool-context.js";

const args = z.looseObject({
  appointment_id: z.uuid().optional(),
  start_time: z.string().trim().min(1).optional(),
});

/** Cancels a viewing this assistant booked, found by its appointment id or its start time. */
export async function cancelAppointment(
  ctx: ToolContext,
  raw: Record<string, unknown>,
): Promise<ToolOutcome> {
  const parsed = args.safeParse(raw);
  const startAt =
    parsed.success && parsed.data.start_time ? readModelTime(parsed.data.start_time, ctx.timeZone) : null;
  const id = parsed.success ? parsed.data.appointment_id : undefined;
  if (!id && !startAt) return failed("To cancel I need the appointment id or the viewing's date and time.");

  const appointment = await findBookedAppointment(ctx.db, ctx.agent.id, {
    ...(id ? { id } : {}),
    ...(startAt ? { startAt } : {}),
  });
  if (!appointment?.provider || !appointment.providerEventId) {
    return failed("I couldn't find a booked viewing matching that.");
  }
  await ctx.events.cancel(
    ctx.owner.id,
    appointment.provider as CalendarProviderId,
    appointment.providerEventId,
  );
  await markAppointmentCancelled(ctx.db, appointment.id);
  return said(
    `Cancelled the viewing of ${appointment.propertyAddress} on ${spokenDateTime(appointment.startAt, ctx.timeZone)}.`,
  );
}
