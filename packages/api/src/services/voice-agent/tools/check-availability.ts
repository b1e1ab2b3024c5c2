import { z } from "zod";
import { startOfDateInZone, startOfLocalDay } from "../../../time/zoned-time.js";
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
  const now = new Date(ctx.events.now());
  // Whole local days: the same question asked again during a call is the same (cached) query, and
  // availability never offers a slot that has already started.
  const { date, days_ahead: daysAhead = 7 } = parsed.data;
  const from = date ? startOfDateInZone(date, ctx.timeZone) : startOfLocalDay(now, ctx.timeZone);
  const to = date ? startOfDateInZone(date, ctx.timeZone, 1) : startOfLocalDay(now, ctx.timeZone, daysAhead);
  if (Number.isNaN(from.getTime())) return failed("Which date? Please say it as YYYY-MM-DD.");
  if (to <= now) return failed("That date has already passed. Which upcoming day works?");

  const { slots, missingProviders } = await ctx.events.freeSlotsUnder(ctx.owner.id, ctx.rules, {
    start: from,
    end: to,
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
