import { claimBookingKey, completeBooking, type Database, releaseBookingKey } from "@viewings/db";
import {
  type CalendarEvent,
  type CalendarProviderId,
  type CreateEventInput,
  calendarEventSchema,
} from "@viewings/validators";
import { conflict } from "../../errors.js";
import { notConnected, reconnectRequired } from "../calendar/calendar-errors.js";
import type { CalendarCache } from "./calendar-cache.js";
import type { CalendarGateway, ConnectedCalendar } from "./calendar-gateway.js";
import { noProviderAnswered } from "./provider-outcome.js";
import { overlaps, type TimeRange } from "./time-ranges.js";

/**
 * Booking and cancelling. A booking is checked against every calendar right before it is written
 * (not against cached busy time), and an idempotency key is claimed in the database first, so a retry
 * with the same key replays the first booking instead of booking twice.
 */
export class EventBooking {
  constructor(
    private readonly db: Database,
    private readonly gateway: CalendarGateway,
    private readonly cache: CalendarCache,
  ) {}

  async create(userId: string, timeZone: string, input: CreateEventInput): Promise<CalendarEvent> {
    const start = new Date(input.start);
    const end = new Date(input.end);
    const target = this.bookingCalendar(await this.gateway.connectedCalendars(userId), input.provider);

    const claim = input.idempotencyKey
      ? await claimBookingKey(this.db, {
          userId,
          idempotencyKey: input.idempotencyKey,
          provider: target.provider,
          startAt: start,
          endAt: end,
        })
      : undefined;
    if (claim && !claim.claimed) return this.replay(claim.row, start, end);

    try {
      await this.ensureFree(userId, target.provider, { start, end }, timeZone);
      const created = await this.gateway.callOne(userId, target.provider, async (api, token) =>
        api.createEvent(await token(), {
          title: input.title,
          start,
          end,
          timeZone,
          attendees: input.attendees,
          location: input.location,
          description: input.description,
        }),
      );
      if (claim) await completeBooking(this.db, claim.row.id, created.id, created);
      return created;
    } catch (error) {
      if (claim) await releaseBookingKey(this.db, claim.row.id);
      throw error;
    } finally {
      this.cache.invalidate(userId);
    }
  }

  /** Cancels an event this backend booked, on the provider that holds it. */
  async cancel(userId: string, provider: CalendarProviderId, eventId: string): Promise<void> {
    try {
      await this.gateway.callOne(userId, provider, async (api, token) =>
        api.cancelEvent(await token(), eventId),
      );
    } finally {
      this.cache.invalidate(userId);
    }
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
    const calendars = await this.gateway.calendarsFor(userId);
    const { answers, missing } = await this.gateway.fanOut(userId, calendars, async (api, token, calendar) =>
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
}
