import { DateTime } from "luxon";
import { z } from "zod";
import { providerName } from "../../calendar/calendar-errors.js";
import { phraseSlots, pickOptions } from "../slot-phrasing.js";
import { failed, said, type ToolContext, type ToolOutcome } from "../tool-context.js";

const args = z.looseObject({
  days_ahead: z.coerce.number().int().min(1).max(14).optional(),
  /** A specific local date the caller asked about, YYYY-MM-DD. */
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
});

/** The next free viewing times in the landlord's zone, phrased for speech with ISO times to book. */
export async function checkAvailability(
  ctx: ToolContext,
  raw: Record<string, unknown>,
): Promise<ToolOutcome> {
  const parsed = args.safeParse(raw);
  if (!parsed.success) return failed("I can look up to 14 days ahead, or a date written as YYYY-MM-DD.");
  const now = DateTime.fromMillis(ctx.events.now()).setZone(ctx.timeZone);
  // Whole local days: the same question asked again during a call is the same (cached) query, and
  // availability never offers a slot that has already started.
  const from = parsed.data.date
    ? DateTime.fromISO(parsed.data.date, { zone: ctx.timeZone })
    : now.startOf("day");
  const to = from.plus({ days: parsed.data.date ? 1 : (parsed.data.days_ahead ?? 7) });
  if (to <= now) return failed("That date has already passed. Which upcoming day works?");

  const { slots, missingProviders } = await ctx.events.availability(ctx.owner, {
    from: from.toUTC().toISO() ?? "",
    to: to.toUTC().toISO() ?? "",
    agentId: ctx.agent.id,
  });
  const options = pickOptions(
    slots.map((slot) => ({ start: new Date(slot.start), end: new Date(slot.end) })),
    ctx.timeZone,
  );
  const unchecked = missingProviders.map((entry) => providerName(entry.provider)).join(" and ");
  const caveat = unchecked ? ` (The ${unchecked} calendar could not be checked just now.)` : "";
  if (options.length === 0) return said(`There are no free viewing times in that period.${caveat}`);
  return said(
    `Available ${ctx.rules.viewingMinutes}-minute viewing times: ${phraseSlots(options, ctx.timeZone)}.` +
      ` To book, call book_appointment with start_time set to one of the times in brackets.${caveat}`,
  );
}
