import type { CalendarProviderId, CalendarRef, MissingProvider } from "@viewings/validators";
import type { TimeRange } from "../../time/time-ranges.js";
import { providerName } from "../calendar/calendar-errors.js";
import type { CalendarGateway, FanOut } from "./calendar-gateway.js";

/**
 * How fresh busy time must be: availability shares cached answers; a booking asks live, within the
 * booking's own deadline.
 */
export type BusyMode = { mode: "slots" } | { mode: "booking"; signal: AbortSignal };

/**
 * Busy time of the calendars that count: the chosen ones (`selection`), or every connected account's
 * primary calendar when none were chosen. A chosen calendar on a provider that is not connected is
 * reported missing rather than silently read as free.
 */
export async function busyTimes(
  gateway: CalendarGateway,
  userId: string,
  window: TimeRange,
  timeZone: string,
  selection: readonly CalendarRef[] | null,
  how: BusyMode,
): Promise<FanOut<TimeRange[]>> {
  const accounts = await gateway.calendarsFor(userId);
  const idsOf = (provider: CalendarProviderId) =>
    selection?.filter((ref) => ref.provider === provider).map((ref) => ref.calendarId);
  const chosen = selection ? accounts.filter((account) => idsOf(account.provider)?.length) : accounts;
  const answer = await gateway.fanOut(
    userId,
    chosen,
    async (api, token, account, signal) =>
      api.busyTimes(
        await token(),
        {
          from: window.start,
          to: window.end,
          timeZone,
          accountEmail: account.accountEmail,
          calendarIds: idsOf(account.provider),
        },
        { signal },
      ),
    how.mode === "slots"
      ? // The zone is part of the answer: all-day events are read as the user's local days.
        (account) => [
          "busy",
          account.provider,
          window.start.toISOString(),
          window.end.toISOString(),
          timeZone,
          ...(idsOf(account.provider) ?? []),
        ]
      : undefined,
    how.mode === "booking" ? how.signal : undefined,
  );
  return { answers: answer.answers, missing: [...answer.missing, ...unconnected(selection, accounts)] };
}

function unconnected(
  selection: readonly CalendarRef[] | null,
  accounts: ReadonlyArray<{ provider: CalendarProviderId }>,
): MissingProvider[] {
  const providers = new Set(selection?.map((ref) => ref.provider));
  return [...providers]
    .filter((provider) => !accounts.some((account) => account.provider === provider))
    .map((provider) => ({
      provider,
      reason: "needs_reconnect",
      message: `Connect your ${providerName(provider)} calendar again: one of its calendars counts as busy`,
    }));
}
