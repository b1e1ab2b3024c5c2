import {
  type AgentRow,
  type BookingSource,
  type Database,
  findAgentOfUser,
  liveBookingsBetween,
} from "@viewings/db";
import type {
  AvailabilityInput,
  AvailabilityOutput,
  CalendarEvent,
  CreateEventInput,
  ListCalendarsOutput,
  ListEventsInput,
  ListEventsOutput,
  User,
} from "@viewings/validators";
import { notFound } from "../../errors.js";
import { overlaps, type TimeRange } from "../../time/time-ranges.js";
import { timeZoneFor, weeklyHoursOf } from "../../time/working-hours.js";
import { isoInZone, localDay, localDayRange } from "../../time/zoned-time.js";
import { type Booked, type BookingDeadline, type BookingRequest, BookingService } from "./booking.js";
import { bookingPeriod, daysAtCap, resolveRules, type SchedulingRules, windowsOf } from "./booking-rules.js";
import { busyTimes } from "./busy-times.js";
import { CalendarGateway } from "./calendar-gateway.js";
import type { EventsDependencies } from "./events-dependencies.js";
import { findFreeSlots, withBuffers } from "./free-slots.js";
import { nearestSlots } from "./nearest-slots.js";
import { noProviderAnswered } from "./provider-outcome.js";

const dayMs = 86_400_000;

/**
 * Events and availability across every calendar a user connected. Providers are asked in parallel,
 * each within a deadline; one failing provider leaves the others' data in the answer and is named in
 * `missingProviders`. Provider answers are cached briefly per user and dropped when this backend books
 * or a connection changes; bookings made by any server process are read from the ledger on every
 * answer, so no instance offers a time another has booked.
 */
export class EventsService {
  private readonly gateway: CalendarGateway;
  private readonly booking: BookingService;

  constructor(
    private readonly db: Database,
    private readonly deps: EventsDependencies,
  ) {
    this.gateway = new CalendarGateway(db, deps);
    this.booking = new BookingService(db, this.gateway, deps, (userId, wanted, rules) =>
      this.nearestFree(userId, wanted, rules),
    );
  }

  /** The scheduling clock (injected; tests control it). */
  now(): number {
    return this.deps.now();
  }

  /** The zone a request is answered in: asked for, else the user's, else the server default. */
  timeZoneOf(user: User, requested?: string): string {
    return timeZoneFor(user, this.deps.defaultTimeZone, requested);
  }

  async list(user: User, input: ListEventsInput): Promise<ListEventsOutput> {
    const timeZone = this.timeZoneOf(user, input.timeZone);
    const window = { from: new Date(input.from), to: new Date(input.to) };
    const calendars = await this.gateway.calendarsFor(user.id, input.provider);
    const { answers, missing } = await this.gateway.fanOut(
      user.id,
      calendars,
      async (api, token, calendar, signal) =>
        api.listEvents(
          await token(),
          { ...window, timeZone, accountEmail: calendar.accountEmail },
          { signal },
        ),
      (calendar) => [
        "events",
        calendar.provider,
        window.from.toISOString(),
        window.to.toISOString(),
        timeZone,
      ],
    );
    if (answers.length === 0) throw noProviderAnswered(missing);
    const events = answers
      .flatMap((answer) => answer.value)
      .sort((a, b) => Date.parse(a.start) - Date.parse(b.start) || Date.parse(a.end) - Date.parse(b.end));
    return { events, missingProviders: missing };
  }

  /** Every connected account's calendars, to choose which count as busy and which receives bookings. */
  async listCalendars(user: User): Promise<ListCalendarsOutput> {
    // In the order the accounts were connected (the first is where bookings go by default).
    const accounts = [...(await this.gateway.calendarsFor(user.id))].sort(
      (a, b) => a.connectedAt.getTime() - b.connectedAt.getTime(),
    );
    const { answers, missing } = await this.gateway.fanOut(
      user.id,
      accounts,
      async (api, token, _account, signal) => api.listCalendars(await token(), { signal }),
    );
    return {
      accounts: answers.map(({ provider, value }) => ({
        provider,
        accountEmail: accounts.find((account) => account.provider === provider)?.accountEmail ?? null,
        calendars: value.map((calendar) => ({ provider, ...calendar })),
      })),
      missingProviders: missing,
    };
  }

  /**
   * The booking rules in force for a user, or for one of their agents (its own over theirs), in the
   * agent's or the user's zone.
   */
  async rulesFor(user: User, agentId?: string): Promise<SchedulingRules> {
    if (!agentId) return resolveRules(user, null, this.timeZoneOf(user));
    const agent = await findAgentOfUser(this.db, user.id, agentId);
    if (!agent) throw notFound("agentId: no such agent");
    return this.rulesOfAgent(user, agent);
  }

  rulesOfAgent(owner: User, agent: AgentRow): SchedulingRules {
    return resolveRules(owner, agent, this.timeZoneOf(owner, agent.timeZone ?? undefined));
  }

  /**
   * Free slots under the user's (or the agent's) booking rules. The input's workingHours, bufferMinutes
   * and durationMinutes override the rules' hours, buffers and length when given; explicit hours are
   * read in the requested zone (the old REST contract), the rules' own in the owner's.
   */
  async availability(user: User, input: AvailabilityInput): Promise<AvailabilityOutput> {
    const stored = await this.rulesFor(user, input.agentId);
    const answerZone = input.timeZone ?? stored.timeZone;
    const rules: SchedulingRules = {
      ...stored,
      ...(input.workingHours
        ? { weeklyHours: weeklyHoursOf(input.workingHours), dateOverrides: [], timeZone: answerZone }
        : {}),
      ...(input.bufferMinutes === undefined
        ? {}
        : { bufferBeforeMinutes: input.bufferMinutes, bufferAfterMinutes: input.bufferMinutes }),
      ...(input.durationMinutes ? { viewingMinutes: input.durationMinutes } : {}),
    };
    return this.availabilityIn(
      user.id,
      rules,
      { start: new Date(input.from), end: new Date(input.to) },
      answerZone,
    );
  }

  /** Free slots under rules the caller already resolved (the voice agent holds its agent's), in their zone. */
  freeSlotsUnder(userId: string, rules: SchedulingRules, window: TimeRange): Promise<AvailabilityOutput> {
    return this.availabilityIn(userId, rules, window, rules.timeZone);
  }

  /**
   * Allowed free times nearest a wanted one (two days either side of it, or of the nearest time the
   * notice and horizon allow), to offer when it cannot be booked.
   */
  async nearestFree(userId: string, wanted: TimeRange, rules: SchedulingRules): Promise<TimeRange[]> {
    const { earliest, latest } = bookingPeriod(rules, this.deps.now());
    const center = Math.min(Math.max(wanted.start.getTime(), earliest), latest);
    // Whole local days, so the slots offered are the ones availability shows for those days.
    const from = localDayRange(new Date(Math.max(earliest, center - 2 * dayMs)), rules.timeZone).start;
    const to = localDayRange(new Date(center + 2 * dayMs), rules.timeZone).end;
    const { slots } = await this.availabilityIn(userId, rules, { start: from, end: to }, rules.timeZone);
    return nearestSlots(
      slots.map((slot) => ({ start: new Date(slot.start), end: new Date(slot.end) })),
      new Date(center),
    );
  }

  private async availabilityIn(
    userId: string,
    rules: SchedulingRules,
    window: TimeRange,
    answerZone: string,
  ): Promise<AvailabilityOutput> {
    // The whole answer is cached too: computing slots in a zone costs more CPU than the rest of a
    // cache-hit request. Only complete answers are kept, so a provider that failed is asked again.
    const key = [
      "availability",
      window.start.toISOString(),
      window.end.toISOString(),
      JSON.stringify(rules),
      answerZone,
    ];
    const computed = await this.deps.cache.getOrLoad(
      userId,
      key,
      () => this.computeAvailability(userId, rules, window, answerZone),
      {
        keep: (answer) => answer.output.missingProviders.length === 0,
        weigh: (answer) => answer.slots.length,
      },
    );
    // What depends on the moment is applied to every answer, cached or not: the notice and horizon
    // against the clock, and the bookings any server process made (the ledger is shared; the cache
    // is not), with their buffers and the daily cap.
    const { earliest, latest } = bookingPeriod(rules, this.deps.now());
    const booked = await liveBookingsBetween(
      this.db,
      userId,
      new Date(window.start.getTime() - dayMs),
      new Date(window.end.getTime() + dayMs),
    );
    const blocked = booked.map((row) =>
      withBuffers(
        { start: row.startAt, end: row.endAt },
        rules.bufferBeforeMinutes,
        rules.bufferAfterMinutes,
      ),
    );
    const fullDays = daysAtCap(booked, rules);
    const atCap = (slot: TimeRange) =>
      fullDays.size > 0 && fullDays.has(localDay(slot.start, rules.timeZone));
    const open = computed.slots.map(
      (slot) =>
        slot.start.getTime() >= earliest &&
        slot.start.getTime() <= latest &&
        !blocked.some((range) => overlaps(range, slot)) &&
        !atCap(slot),
    );
    if (open.every(Boolean)) return computed.output;
    return { ...computed.output, slots: computed.output.slots.filter((_, index) => open[index]) };
  }

  private async computeAvailability(
    userId: string,
    rules: SchedulingRules,
    window: TimeRange,
    answerZone: string,
  ): Promise<{ output: AvailabilityOutput; slots: TimeRange[] }> {
    // Providers are asked about the range as requested, not from "now": a key that moved with the
    // clock would make every "next 7 days" question a cache miss. The clock applies to the slots only.
    const { answers, missing } = await busyTimes(
      this.gateway,
      userId,
      window,
      answerZone,
      rules.busyCalendars,
      {
        mode: "slots",
      },
    );
    if (answers.length === 0) throw noProviderAnswered(missing);
    const slots = findFreeSlots({
      windows: windowsOf(rules, window.start, window.end),
      timeZone: rules.timeZone,
      durationMinutes: rules.viewingMinutes,
      bufferBeforeMinutes: rules.bufferBeforeMinutes,
      bufferAfterMinutes: rules.bufferAfterMinutes,
      intervalMinutes: rules.slotIntervalMinutes,
      busy: answers.flatMap((answer) => answer.value),
    });
    return {
      output: {
        timeZone: answerZone,
        slots: slots.map((slot) => ({
          start: isoInZone(slot.start, answerZone),
          end: isoInZone(slot.end, answerZone),
        })),
        missingProviders: missing,
      },
      slots,
    };
  }

  /** events.create (and the REST route over it): one deadline for the whole booking. */
  async create(
    user: User,
    input: CreateEventInput,
    door: { source: BookingSource; signal?: AbortSignal | undefined },
  ): Promise<CalendarEvent> {
    const { agentId, ...event } = input;
    const booked = await this.book(
      user,
      {
        ...event,
        start: new Date(input.start),
        end: new Date(input.end),
        timeZone: this.timeZoneOf(user, input.timeZone),
        idempotencyKey: input.idempotencyKey ?? null,
        source: door.source,
        // For an agent, its rules decide the time; the user's own calendar tool books any time, into
        // the calendars the user chose.
        rules: await this.rulesFor(user, agentId),
        enforceTiming: agentId !== undefined,
      },
      this.deadline(door.signal),
    );
    return booked.event;
  }

  /** The one booking path, for every door (see BookingService). */
  book(user: User, request: BookingRequest, deadline: BookingDeadline): Promise<Booked> {
    return this.booking.book(user.id, request, deadline);
  }

  /**
   * A booking's deadline when the door has none of its own: the provider deadline for the booking,
   * twice that to undo a create that may have happened (the undo meets the same slow provider, and the
   * caller is better served by a late true answer than by a prompt wrong one).
   */
  private deadline(caller?: AbortSignal): BookingDeadline {
    const ms = this.deps.providerDeadlineMs;
    const own = AbortSignal.timeout(ms);
    return { signal: caller ? AbortSignal.any([caller, own]) : own, compensationMs: 2 * ms };
  }

  /** Cancels one of the owner's bookings: the ledger names the provider, calendar and event. */
  async cancel(userId: string, bookingId: string): Promise<void> {
    return this.booking.cancel(userId, bookingId, AbortSignal.timeout(this.deps.providerDeadlineMs));
  }
}
