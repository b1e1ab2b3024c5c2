import { type BookingSource, type Database, liveBookingsBetween } from "@viewings/db";
import type {
  AvailabilityInput,
  AvailabilityOutput,
  CalendarEvent,
  CalendarProviderId,
  CreateEventInput,
  ListEventsInput,
  ListEventsOutput,
  MissingProvider,
  User,
} from "@viewings/validators";
import { overlaps, type TimeRange } from "../../time/time-ranges.js";
import { timeZoneFor, type WorkingHours, workingHoursOf } from "../../time/working-hours.js";
import { isoInZone } from "../../time/zoned-time.js";
import { type Booked, type BookingDeadline, type BookingRequest, BookingService } from "./booking.js";
import { CalendarGateway } from "./calendar-gateway.js";
import type { EventsDependencies } from "./events-dependencies.js";
import { findFreeSlots } from "./free-slots.js";
import { nearestSlots } from "./nearest-slots.js";
import { noProviderAnswered } from "./provider-outcome.js";

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
    this.booking = new BookingService(db, this.gateway, deps.cache, (userId, wanted, timeZone) =>
      this.nearestFree(userId, wanted, timeZone),
    );
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

  async availability(user: User, input: AvailabilityInput): Promise<AvailabilityOutput> {
    return this.availabilityIn(user.id, input, this.timeZoneOf(user, input.timeZone));
  }

  /** Free times nearest a wanted one (two days either side), to offer when it is taken. */
  async nearestFree(userId: string, wanted: TimeRange, timeZone: string): Promise<TimeRange[]> {
    const from = new Date(Math.max(Date.now(), wanted.start.getTime() - 2 * 86_400_000));
    const to = new Date(Math.max(from.getTime() + 86_400_000, wanted.end.getTime() + 2 * 86_400_000));
    const { slots } = await this.availabilityIn(
      userId,
      {
        from: from.toISOString(),
        to: to.toISOString(),
        durationMinutes: Math.round((wanted.end.getTime() - wanted.start.getTime()) / 60_000),
        bufferMinutes: 0,
      },
      timeZone,
    );
    return nearestSlots(
      slots.map((slot) => ({ start: new Date(slot.start), end: new Date(slot.end) })),
      wanted.start,
    );
  }

  private async availabilityIn(
    userId: string,
    input: AvailabilityInput,
    timeZone: string,
  ): Promise<AvailabilityOutput> {
    const workingHours = workingHoursOf(input.workingHours);
    // The whole answer is cached too: computing slots in a zone costs more CPU than the rest of a
    // cache-hit request. Only complete answers are kept, so a provider that failed is asked again.
    const key = [
      "availability",
      input.from,
      input.to,
      String(input.durationMinutes),
      String(input.bufferMinutes),
      JSON.stringify(workingHours),
      timeZone,
    ];
    const computed = await this.deps.cache.getOrLoad(
      userId,
      key,
      () => this.computeAvailability(userId, input, timeZone, workingHours),
      (answer) => answer.output.missingProviders.length === 0,
    );
    // A cached answer may be a little older than now: drop the slots that have started since, and
    // those any server process has booked meanwhile (the ledger is shared; the cache is not).
    const buffer = input.bufferMinutes * 60_000;
    const booked = (await liveBookingsBetween(this.db, userId, new Date(input.from), new Date(input.to))).map(
      (row) => ({
        start: new Date(row.startAt.getTime() - buffer),
        end: new Date(row.endAt.getTime() + buffer),
      }),
    );
    const now = Date.now();
    const open = computed.slots.map(
      (slot) => slot.start.getTime() >= now && !booked.some((range) => overlaps(range, slot)),
    );
    if (open.every(Boolean)) return computed.output;
    return { ...computed.output, slots: computed.output.slots.filter((_, index) => open[index]) };
  }

  private async computeAvailability(
    userId: string,
    input: AvailabilityInput,
    timeZone: string,
    workingHours: WorkingHours,
  ): Promise<{ output: AvailabilityOutput; slots: TimeRange[] }> {
    const to = new Date(input.to);
    // Providers are asked about the range as requested, not from "now": a key that moved with the
    // clock would make every "next 7 days" question a cache miss. Only the slots are clipped to now.
    const { busy, missing } = await this.busyTimes(
      userId,
      { start: new Date(input.from), end: to },
      timeZone,
    );
    const slots = findFreeSlots({
      from: new Date(Math.max(Date.parse(input.from), Date.now())),
      to,
      timeZone,
      durationMinutes: input.durationMinutes,
      bufferMinutes: input.bufferMinutes,
      workingHours,
      busy,
    });
    return {
      output: {
        timeZone,
        slots: slots.map((slot) => ({
          start: isoInZone(slot.start, timeZone),
          end: isoInZone(slot.end, timeZone),
        })),
        missingProviders: missing,
      },
      slots,
    };
  }

  /** Busy time from every connected calendar (cached); throws when none could answer. */
  private async busyTimes(
    userId: string,
    window: TimeRange,
    timeZone: string,
  ): Promise<{ busy: TimeRange[]; missing: MissingProvider[] }> {
    const calendars = await this.gateway.calendarsFor(userId);
    const { answers, missing } = await this.gateway.fanOut(
      userId,
      calendars,
      async (api, token, calendar, signal) =>
        api.busyTimes(
          await token(),
          { from: window.start, to: window.end, timeZone, accountEmail: calendar.accountEmail },
          { signal },
        ),
      // The zone is part of the answer: all-day events are read as the user's local days.
      (calendar) => [
        "busy",
        calendar.provider,
        window.start.toISOString(),
        window.end.toISOString(),
        timeZone,
      ],
    );
    if (answers.length === 0) throw noProviderAnswered(missing);
    return { busy: answers.flatMap((answer) => answer.value), missing };
  }

  /** events.create (and the REST route over it): one deadline for the whole booking. */
  async create(
    user: User,
    input: CreateEventInput,
    door: { source: BookingSource; signal?: AbortSignal | undefined },
  ): Promise<CalendarEvent> {
    const booked = await this.book(
      user,
      {
        ...input,
        start: new Date(input.start),
        end: new Date(input.end),
        timeZone: this.timeZoneOf(user, input.timeZone),
        idempotencyKey: input.idempotencyKey ?? null,
        source: door.source,
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

  async cancel(userId: string, provider: CalendarProviderId, eventId: string): Promise<void> {
    return this.booking.cancel(userId, provider, eventId, AbortSignal.timeout(this.deps.providerDeadlineMs));
  }
}
