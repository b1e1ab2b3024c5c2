import {
  claimBookingKey,
  completeBooking,
  type Database,
  listCalendarConnections,
  releaseBookingKey,
} from "@viewings/db";
import {
  type AvailabilityInput,
  type AvailabilityOutput,
  type CalendarEvent,
  type CalendarProviderId,
  type CreateEventInput,
  calendarEventSchema,
  type ListEventsInput,
  type ListEventsOutput,
  type MissingProvider,
  type User,
} from "@viewings/validators";
import { conflict, DomainError } from "../../errors.js";
import type { CalendarApi } from "../../providers/calendar-api.js";
import { ProviderError } from "../../providers/provider-error.js";
import { isoInZone } from "../../providers/zoned-time.js";
import { notConnected, providerNotConfigured, reconnectRequired } from "../calendar/calendar-errors.js";
import type { EventsDependencies } from "./events-dependencies.js";
import { findFreeSlots, type WorkingHours } from "./free-slots.js";
import { missingProvider, noProviderAnswered } from "./provider-outcome.js";
import { overlaps, type TimeRange } from "./time-ranges.js";

interface ConnectedCalendar {
  provider: CalendarProviderId;
  accountEmail: string | null;
  needsReconnect: boolean;
  connectedAt: Date;
}

interface FanOut<T> {
  answers: Array<{ provider: CalendarProviderId; value: T }>;
  missing: MissingProvider[];
}

const defaultWorkingHours: WorkingHours = { start: "09:00", end: "17:00", days: [1, 2, 3, 4, 5] };

/**
 * Events and availability across every calendar a user connected. Providers are asked in parallel,
 * each within a deadline; one failing provider leaves the others' data in the answer and is named in
 * `missingProviders`. Provider answers are cached briefly per user and dropped when this backend books
 * or a connection changes.
 */
export class EventsService {
  constructor(
    private readonly db: Database,
    private readonly deps: EventsDependencies,
  ) {}

  /** The zone a request is answered in: asked for, else the user's, else the server default. */
  timeZoneOf(user: User, requested?: string): string {
    return requested ?? user.timeZone ?? this.deps.defaultTimeZone;
  }

  async list(user: User, input: ListEventsInput): Promise<ListEventsOutput> {
    const timeZone = this.timeZoneOf(user, input.timeZone);
    const window = { from: new Date(input.from), to: new Date(input.to) };
    const calendars = await this.calendarsFor(user.id, input.provider);
    const { answers, missing } = await this.fanOut(
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
    const calendars = await this.calendarsFor(userId);
    const { answers, missing } = await this.fanOut(
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
    const timeZone = this.timeZoneOf(user, input.timeZone);
    const start = new Date(input.start);
    const end = new Date(input.end);
    const calendars = await this.connectedCalendars(user.id);
    const target = this.bookingCalendar(calendars, input.provider);

    const claim = input.idempotencyKey
      ? await claimBookingKey(this.db, {
          userId: user.id,
          idempotencyKey: input.idempotencyKey,
          provider: target.provider,
          startAt: start,
          endAt: end,
        })
      : undefined;
    if (claim && !claim.claimed) return this.replay(claim.row, start, end);

    try {
      await this.ensureFree(user.id, target.provider, { start, end }, timeZone);
      const created = await this.withinDeadline(
        this.withToken(user.id, target.provider, async (api, token) =>
          api.createEvent(await token(), {
            title: input.title,
            start,
            end,
            timeZone,
            attendees: input.attendees,
            location: input.location,
            description: input.description,
          }),
        ),
        target.provider,
      );
      if (claim) await completeBooking(this.db, claim.row.id, created.id, created);
      return created;
    } catch (error) {
      if (claim) await releaseBookingKey(this.db, claim.row.id);
      throw this.asDomainError(target.provider, error);
    } finally {
      this.deps.cache.invalidate(user.id);
    }
  }

  /** Cancels an event this backend booked, on the provider that holds it. */
  async cancel(userId: string, provider: CalendarProviderId, eventId: string): Promise<void> {
    try {
      await this.withinDeadline(
        this.withToken(userId, provider, async (api, token) => api.cancelEvent(await token(), eventId)),
        provider,
      );
    } catch (error) {
      throw this.asDomainError(provider, error);
    } finally {
      this.deps.cache.invalidate(userId);
    }
  }

  /** Drops cached provider answers of one user (after a booking or a connection change). */
  invalidate(userId: string): void {
    this.deps.cache.invalidate(userId);
  }

  private replay(row: { event: unknown; startAt: Date; endAt: Date }, start: Date, end: Date): CalendarEvent {
    if (row.startAt.getTime() !== start.getTime() || row.endAt.getTime() !== end.getTime()) {
      throw conflict("This idempotency key was already used for a different booking");
    }
    const stored = calendarEventSchema.safeParse(row.event);
    if (!stored.success)
      throw conflict("A booking with this idempotency key is still in progress; retry shortly");
    return stored.data;
  }

  /** Refuses a slot that is no longer free on any calendar that can tell. */
  private async ensureFree(userId: string, target: CalendarProviderId, slot: TimeRange, timeZone: string) {
    const calendars = await this.calendarsFor(userId);
    const { answers, missing } = await this.fanOut(userId, calendars, async (api, token, calendar) =>
      api.busyTimes(await token(), {
        from: slot.start,
        to: slot.end,
        timeZone,
        accountEmail: calendar.accountEmail,
      }),
    );
    const targetMissing = missing.find((entry) => entry.provider === target);
    if (targetMissing) throw noProviderAnswered([targetMissing]);
    if (answers.some((answer) => answer.value.some((busy) => overlaps(busy, slot)))) {
      throw conflict("That time is no longer free");
    }
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

  private async connectedCalendars(userId: string): Promise<ConnectedCalendar[]> {
    return (await listCalendarConnections(this.db, userId)).map((row) => ({
      provider: row.provider as CalendarProviderId,
      accountEmail: row.accountEmail,
      needsReconnect: row.needsReconnect,
      connectedAt: row.createdAt,
    }));
  }

  /** The user's connections (cached like provider answers), narrowed to one provider when asked. */
  private async calendarsFor(userId: string, only?: CalendarProviderId): Promise<ConnectedCalendar[]> {
    const all = await this.deps.cache.getOrLoad(userId, ["connections"], () =>
      this.connectedCalendars(userId),
    );
    if (!only) return all;
    const calendar = all.find((entry) => entry.provider === only);
    if (!calendar) throw notConnected(only);
    return [calendar];
  }

  /**
   * Asks every calendar at once, each within the deadline. With `cacheKey`, the whole provider call
   * (token, request, renewal after a 401) is what the cache holds and concurrent callers share: a
   * caller joining a load that hit a refused token gets the retried answer, not the 401.
   */
  private async fanOut<T>(
    userId: string,
    calendars: ConnectedCalendar[],
    call: (api: CalendarApi, token: () => Promise<string>, calendar: ConnectedCalendar) => Promise<T>,
    cacheKey?: (calendar: ConnectedCalendar) => string[],
  ): Promise<FanOut<T>> {
    const settled = await Promise.allSettled(
      calendars.map((calendar) => {
        if (calendar.needsReconnect) return Promise.reject(reconnectRequired(calendar.provider));
        const load = () =>
          this.withToken(userId, calendar.provider, (api, token) => call(api, token, calendar));
        const work = cacheKey ? this.deps.cache.getOrLoad(userId, cacheKey(calendar), load) : load();
        return this.withinDeadline(work, calendar.provider);
      }),
    );
    const result: FanOut<T> = { answers: [], missing: [] };
    settled.forEach((outcome, index) => {
      const provider = (calendars[index] as ConnectedCalendar).provider;
      if (outcome.status === "fulfilled") result.answers.push({ provider, value: outcome.value });
      else result.missing.push(missingProvider(provider, outcome.reason));
    });
    return result;
  }

  /**
   * Runs `call` with a valid access token. The token is fetched lazily, so a cache hit costs no token
   * lookup; a token the provider refuses mid-request (401) is renewed once and the call retried.
   */
  private async withToken<T>(
    userId: string,
    provider: CalendarProviderId,
    call: (api: CalendarApi, token: () => Promise<string>) => Promise<T>,
  ): Promise<T> {
    const api = this.deps.calendars[provider];
    if (!api) throw providerNotConfigured(provider);
    let issued: string | undefined;
    const token = async () => {
      issued ??= await this.deps.tokens.getAccessToken(userId, provider);
      return issued;
    };
    try {
      return await call(api, token);
    } catch (error) {
      if (!(error instanceof ProviderError && error.kind === "expired_token") || issued === undefined)
        throw error;
      const renewed = await this.deps.tokens.renewAccessToken(userId, provider, issued);
      return call(api, async () => renewed);
    }
  }

  private withinDeadline<T>(work: Promise<T>, provider: CalendarProviderId): Promise<T> {
    const ms = this.deps.providerDeadlineMs;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new ProviderError("timeout", `${provider}: no answer within ${ms} ms`)),
        ms,
      );
    });
    return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
  }

  private asDomainError(provider: CalendarProviderId, error: unknown): unknown {
    if (error instanceof DomainError) return error;
    if (error instanceof ProviderError) return noProviderAnswered([missingProvider(provider, error)]);
    return error;
  }
}
