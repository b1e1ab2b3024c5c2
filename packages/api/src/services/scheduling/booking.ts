import {
  type BookingGuard,
  type BookingRow,
  type BookingSource,
  cancelBooking,
  claimBooking,
  claimGuardedBooking,
  confirmBooking,
  type Database,
  failBooking,
  findBookingOfUser,
} from "@viewings/db";
import {
  type CalendarEvent,
  type CalendarProviderId,
  type CreateEventInput,
  calendarEventSchema,
} from "@viewings/validators";
import { conflict, DomainError } from "../../errors.js";
import type { NewCalendarEvent } from "../../providers/calendar-api.js";
import { ProviderError } from "../../providers/provider-error.js";
import { overlaps, type TimeRange } from "../../time/time-ranges.js";
import { localDay, localDayRange } from "../../time/zoned-time.js";
import { notConnected, reconnectRequired } from "../calendar/calendar-errors.js";
import { atCap, ruleBreach, type SchedulingRules } from "./booking-rules.js";
import { busyTimes } from "./busy-times.js";
import { asDomainError, type CalendarGateway, type ConnectedCalendar } from "./calendar-gateway.js";
import type { EventsDependencies } from "./events-dependencies.js";
import { noProviderAnswered } from "./provider-outcome.js";
import { OutsideRulesError, SlotTakenError, type UnbookableTimeError } from "./slot-taken.js";

/** What to book, from any door; times already parsed and bounded by the door's schema. */
export interface BookingRequest extends Omit<NewCalendarEvent, "attendees"> {
  attendees: CreateEventInput["attendees"];
  provider?: CalendarProviderId | undefined;
  /** The caller's key: a retry with it answers the first booking instead of booking again. */
  idempotencyKey: string | null;
  source: BookingSource;
  /** The rules in force: their calendar choice always applies; their timing when `enforceTiming`. */
  rules: SchedulingRules;
  /** Check hours, notice, horizon, length, slot grid, buffers and the daily cap (a booking for an agent). */
  enforceTiming: boolean;
}

/**
 * How long a booking may take. `signal` ends the claim-check-create steps; the compensation (undoing
 * a create that may have happened) then gets `compensationMs` of its own, so a caller who is told
 * "failed" is told so only once no event is left behind.
 */
export interface BookingDeadline {
  signal: AbortSignal;
  compensationMs: number;
}

export interface Booked {
  bookingId: string;
  event: CalendarEvent;
}

/** The free times nearest a wanted one, for a refusal to offer. */
export type NearestFree = (userId: string, wanted: TimeRange, rules: SchedulingRules) => Promise<TimeRange[]>;

/** Errors that prove the provider made no event: it answered, and the answer was no. */
const refusals = new Set<ProviderError["kind"]>(["rejected", "expired_token", "invalid_grant", "throttled"]);

/**
 * The one booking path (events.create, the REST route and the voice agent all come here):
 * 1. claim the time in the ledger (a pending row; the database refuses an overlap across processes);
 * 2. check the provider's busy time live (events made outside this backend);
 * 3. create the event with a provider-side idempotency key derived from the booking id;
 * 4. confirm the row. When the create may have reached the provider but no answer came (deadline,
 *    5xx, network), the event is looked up by its key and deleted before the caller hears "failed".
 * Never "failed" while an event exists, never "booked" without one.
 */
export class BookingService {
  constructor(
    private readonly db: Database,
    private readonly gateway: CalendarGateway,
    private readonly deps: Pick<EventsDependencies, "cache" | "now">,
    private readonly nearestFree: NearestFree,
  ) {}

  async book(userId: string, request: BookingRequest, deadline: BookingDeadline): Promise<Booked> {
    const { rules } = request;
    const slot = { start: request.start, end: request.end };
    if (request.enforceTiming) {
      const breach = ruleBreach(rules, slot, this.deps.now());
      if (breach) throw await this.unbookable(userId, slot, rules, outsideRules(breach, rules.timeZone));
    }
    const destination = rules.destinationCalendar;
    const target = this.bookingCalendar(
      await this.gateway.connectedCalendars(userId),
      request.provider ?? destination?.provider,
    );
    // The chosen destination's calendar, when the booking goes to its provider.
    const calendarId = destination?.provider === target.provider ? destination.calendarId : undefined;
    const newBooking = {
      userId,
      source: request.source,
      idempotencyKey: request.idempotencyKey,
      provider: target.provider,
      startAt: request.start,
      endAt: request.end,
      agentId: rules.agentId,
      calendarId: calendarId ?? null,
    };
    // The buffers and the daily cap are checked against the ledger as the time is claimed, under the
    // owner's lock, so two bookings racing for the last place of a day cannot both pass.
    const claim = request.enforceTiming
      ? await claimGuardedBooking(this.db, newBooking, ledgerGuard(slot, rules))
      : await claimBooking(this.db, newBooking);
    if (claim.outcome === "replay") return replay(claim.row, slot);
    if (claim.outcome === "overlap") throw await this.slotTaken(userId, slot, rules);
    if (claim.outcome === "refused") throw await this.unbookable(userId, slot, rules, claim.reason);

    const booking = claim.row;
    const idempotencyKey = `booking:${booking.id}`;
    let sent = false;
    try {
      const refusal = await this.calendarRefusal(
        userId,
        target.provider,
        slot,
        rules,
        request.enforceTiming,
        deadline.signal,
      );
      if (refusal) {
        // Freed first, so the times offered instead may lie around this claim.
        await failBooking(this.db, booking.id);
        throw await this.unbookable(userId, slot, rules, refusal);
      }
      const created = await this.gateway.callOne(
        userId,
        target.provider,
        deadline.signal,
        async (api, token, signal) => {
          const accessToken = await token();
          sent = true;
          return api.createEvent(accessToken, { ...request, calendarId }, { signal, idempotencyKey });
        },
      );
      await confirmBooking(this.db, booking.id, created.id, created);
      return { bookingId: booking.id, event: created };
    } catch (error) {
      // The create may have happened: undo it before the caller hears "failed".
      if (sent && !isRefusal(error)) {
        throw await this.compensate(
          userId,
          target.provider,
          booking,
          { ...request, calendarId },
          idempotencyKey,
          deadline,
          error,
        );
      }
      await failBooking(this.db, booking.id);
      throw asDomainError(target.provider, error);
    } finally {
      this.deps.cache.invalidate(userId);
    }
  }

  /** Cancels an event this backend booked, on the provider that holds it, and frees its ledger row. */
  async cancel(userId: string, bookingId: string, signal: AbortSignal): Promise<void> {
    const booking = await findBookingOfUser(this.db, userId, bookingId);
    if (booking?.status !== "confirmed" || !booking.providerEventId)
      throw new DomainError("not_found", "No booked viewing to cancel");
    const provider = booking.provider as CalendarProviderId;
    const eventId = booking.providerEventId;
    // Google addresses an event by its calendar: the one it was booked into.
    const calendarId = booking.calendarId ?? undefined;
    try {
      await this.gateway
        .callOne(userId, provider, signal, async (api, token, callSignal) =>
          api.cancelEvent(await token(), eventId, { signal: callSignal, calendarId }),
        )
        .catch((error: unknown) => {
          throw asDomainError(provider, error);
        });
      await cancelBooking(this.db, booking.id);
    } finally {
      this.deps.cache.invalidate(userId);
    }
  }

  /**
   * Finds the event the key names and deletes it (CalendarApi.undoCreate), within its own budget: the
   * booking's deadline has passed, and the caller may hear "failed" only once no event is left.
   */
  private async compensate(
    userId: string,
    provider: CalendarProviderId,
    booking: BookingRow,
    event: NewCalendarEvent,
    idempotencyKey: string,
    deadline: BookingDeadline,
    cause: unknown,
  ): Promise<unknown> {
    try {
      await this.gateway.callOne(
        userId,
        provider,
        AbortSignal.timeout(deadline.compensationMs),
        async (api, token, signal) => api.undoCreate(await token(), event, { signal, idempotencyKey }),
      );
    } catch (undoError) {
      // Neither confirmed nor undone: the row stays pending, so its time stays held, and the caller
      // is told that the outcome is unknown rather than that it failed.
      throw new BookingUnconfirmedError({ cause: undoError });
    }
    await failBooking(this.db, booking.id);
    return asDomainError(provider, cause);
  }

  /** Why the calendars refuse the slot (with its buffers, when they apply): busy on one that counts. */
  private async calendarRefusal(
    userId: string,
    target: CalendarProviderId,
    slot: TimeRange,
    rules: SchedulingRules,
    withRuleBuffers: boolean,
    signal: AbortSignal,
  ): Promise<Refusal | null> {
    const padded = withRuleBuffers ? paddedSlot(slot, rules) : slot;
    const { answers, missing } = await busyTimes(
      this.gateway,
      userId,
      padded,
      rules.timeZone,
      rules.busyCalendars,
      {
        mode: "booking",
        signal,
      },
    );
    const targetMissing = missing.find((entry) => entry.provider === target);
    if (targetMissing) throw noProviderAnswered([targetMissing]);
    if (answers.some((answer) => answer.value.some((busy) => overlaps(busy, padded)))) {
      return taken("That time is no longer free on the calendar.", rules.timeZone);
    }
    return null;
  }

  private slotTaken(userId: string, slot: TimeRange, rules: SchedulingRules): Promise<UnbookableTimeError> {
    return this.unbookable(userId, slot, rules, taken("That time is already booked.", rules.timeZone));
  }

  /** The refusal, with the nearest allowed free times when they can be found. */
  private async unbookable(
    userId: string,
    slot: TimeRange,
    rules: SchedulingRules,
    refusal: Refusal,
  ): Promise<UnbookableTimeError> {
    // Offering alternatives is a courtesy: a refusal without them is still the right answer.
    return refusal(await this.nearestFree(userId, slot, rules).catch(() => []));
  }

  private bookingCalendar(calendars: ConnectedCalendar[], requested?: CalendarProviderId): ConnectedCalendar {
    if (requested) {
      const calendar = calendars.find((entry) => entry.provider === requested);
      if (!calendar) throw notConnected(requested);
      if (calendar.needsReconnect) throw reconnectRequired(requested);
      return calendar;
    }
    // Without a choice, book where the user connected first (their main calendar).
    const usable = calendars.filter((entry) => !entry.needsReconnect);
    const [preferred] = usable.sort((a, b) => a.connectedAt.getTime() - b.connectedAt.getTime());
    if (preferred) return preferred;
    throw calendars[0] ? reconnectRequired(calendars[0].provider) : noProviderAnswered([]);
  }
}

/** The create may or may not have happened and it could not be checked: say so, never "failed". */
export class BookingUnconfirmedError extends DomainError {
  constructor(options: { cause: unknown }) {
    super(
      "unavailable",
      "The calendar did not confirm the booking in time and could not be checked; it may still appear. Check the calendar before booking again.",
      options,
    );
  }
}

/** A refusal, given the alternatives to offer. */
type Refusal = (alternatives: readonly TimeRange[]) => UnbookableTimeError;
const taken =
  (reason: string, timeZone: string): Refusal =>
  (near) =>
    new SlotTakenError(reason, near, timeZone);
const outsideRules =
  (reason: string, timeZone: string): Refusal =>
  (near) =>
    new OutsideRulesError(reason, near, timeZone);

/**
 * Why the owner's other live bookings refuse the slot: one within the buffers, or a day whose cap
 * the bookings already there reach.
 */
function ledgerGuard(slot: TimeRange, rules: SchedulingRules): BookingGuard<Refusal> {
  const day = localDayRange(slot.start, rules.timeZone);
  const padded = paddedSlot(slot, rules);
  return {
    window: {
      from: new Date(Math.min(day.start.getTime(), padded.start.getTime())),
      to: new Date(Math.max(day.end.getTime(), padded.end.getTime())),
    },
    refuse(live) {
      if (live.some((row) => overlaps({ start: row.startAt, end: row.endAt }, padded))) {
        return taken("That time is too close to another viewing.", rules.timeZone);
      }
      if (atCap(live, rules, localDay(slot.start, rules.timeZone))) {
        return outsideRules(
          `The limit of ${rules.dailyCap} viewings on that day is reached.`,
          rules.timeZone,
        );
      }
      return null;
    },
  };
}

/** The slot with the time the rules keep free before and after it. */
function paddedSlot(slot: TimeRange, rules: SchedulingRules): TimeRange {
  return {
    start: new Date(slot.start.getTime() - rules.bufferBeforeMinutes * 60_000),
    end: new Date(slot.end.getTime() + rules.bufferAfterMinutes * 60_000),
  };
}

function isRefusal(error: unknown): boolean {
  return error instanceof DomainError || (error instanceof ProviderError && refusals.has(error.kind));
}

/** A retry with a key already used: the first booking's answer, if it finished for the same time. */
function replay(row: BookingRow, slot: TimeRange): Booked {
  if (row.startAt.getTime() !== slot.start.getTime() || row.endAt.getTime() !== slot.end.getTime()) {
    throw conflict("This idempotency key was already used for a different booking");
  }
  const stored = calendarEventSchema.safeParse(row.event);
  if (row.status !== "confirmed" || !stored.success) {
    throw conflict("A booking with this idempotency key is still in progress; retry shortly");
  }
  return { bookingId: row.id, event: stored.data };
}
