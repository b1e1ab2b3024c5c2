import type { Database } from "@viewings/db";
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
import { isoInZone } from "../../providers/zoned-time.js";
import { CalendarGateway } from "./calendar-gateway.js";
import { EventBooking } from "./event-booking.js";
import type { EventsDependencies } from "./events-dependencies.js";
import { findFreeSlots, type WorkingHours } from "./free-slots.js";
import { noProviderAnswered } from "./provider-outcome.js";
import type { TimeRange } from "./time-ranges.js";

const defaultWorkingHours: WorkingHours = { start: "09:00", end: "17:00", days: [1, 2, 3, 4, 5] };

/**
 * Events and availability across every calendar a user connected. Providers are asked in parallel,
 * each within a deadline; one failing provider leaves the others' data in the answer and is named in
 * `missingProviders`. Provider answers are cached briefly per user and dropped when this backend books
 * or a connection changes.
 */
export class EventsService {
  private readonly gateway: CalendarGateway;
  private readonly booking: EventBooking;

  constructor(
    db: Database,
    private readonly deps: EventsDependencies,
  ) {
    this.gateway = new CalendarGateway(db, deps);
    this.booking = new EventBooking(db, this.gateway, deps.cache);
  }

  /** The zone a request is answered in: asked for, else the user's, else the server default. */
  timeZoneOf(user: User, requested?: string): string {
    return requested ?? user.timeZone ?? this.deps.defaultTimeZone;
  }

  async list(user: User, input: ListEventsInput): Promise<ListEventsOutput> {
    const timeZone = this.timeZoneOf(user, input.timeZone);
    const window = { from: new Date(input.from), to: new Date(input.to) };
    const calendars = await this.gateway.calendarsFor(user.id, input.provider);
    const { answers, missing } = await this.gateway.fanOut(
      user.id,
      calendars,
      async (api, token, calendar) =>
        api.listEvents(await token(), { ...window, timeZone, accountEmail: calendar.accountEmail }),
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
    const timeZone = this.timeZoneOf(user, input.timeZone);
    const workingHours = input.workingHours ?? defaultWorkingHours;
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
      user.id,
      key,
      () => this.computeAvailability(user.id, input, timeZone, workingHours),
      (answer) => answer.output.missingProviders.length === 0,
    );
    // A cached answer may be a little older than now: drop the slots that have started since.
    const now = Date.now();
    if (computed.slotStarts.every((start) => start >= now)) return computed.output;
    return {
      ...computed.output,
      slots: computed.output.slots.filter((_, index) => (computed.slotStarts[index] ?? 0) >= now),
    };
  }

  private async computeAvailability(
    userId: string,
    input: AvailabilityInput,
    timeZone: string,
    workingHours: WorkingHours,
  ): Promise<{ output: AvailabilityOutput; slotStarts: number[] }> {
    const to = new Date(input.to);
    // Providers are asked about the range as requested, not from "now": a key that moved with the
    // clock would make every "next 7 days" question a cache miss. Only the slots are clipped to now.
    const { busy, missing } = await this.busyTimes(
      userId,
      { start: new Date(input.from), end: to },
      timeZone,
      {
        cached: true,
      },
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
      slotStarts: slots.map((slot) => slot.start.getTime()),
    };
  }

  /** Busy time from every connected calendar; throws when none could answer. */
  async busyTimes(
    userId: string,
    window: TimeRange,
    timeZone: string,
    options: { cached: boolean },
  ): Promise<{ busy: TimeRange[]; missing: MissingProvider[] }> {
    const calendars = await this.gateway.calendarsFor(userId);
    const { answers, missing } = await this.gateway.fanOut(
      userId,
      calendars,
      async (api, token, calendar) =>
        api.busyTimes(await token(), {
          from: window.start,
          to: window.end,
          timeZone,
          accountEmail: calendar.accountEmail,
        }),
      options.cached
        ? // The zone is part of the answer: all-day events are read as the user's local days.
          (calendar) => [
            "busy",
            calendar.provider,
            window.start.toISOString(),
            window.end.toISOString(),
            timeZone,
          ]
        : undefined,
    );
    if (answers.length === 0) throw noProviderAnswered(missing);
    return { busy: answers.flatMap((answer) => answer.value), missing };
  }

  async create(user: User, input: CreateEventInput): Promise<CalendarEvent> {
    return this.booking.create(user.id, this.timeZoneOf(user, input.timeZone), input);
  }

  async cancel(userId: string, provider: CalendarProviderId, eventId: string): Promise<void> {
    return this.booking.cancel(userId, provider, eventId);
  }

  /** Drops cached provider answers of one user (after a booking or a connection change). */
  invalidate(userId: string): void {
    this.deps.cache.invalidate(userId);
  }
}
