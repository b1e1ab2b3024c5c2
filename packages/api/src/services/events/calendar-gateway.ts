import { type Database, listCalendarConnections } from "@viewings/db";
import type { CalendarProviderId, MissingProvider } from "@viewings/validators";
import { DomainError } from "../../errors.js";
import type { CalendarApi } from "../../providers/calendar-api.js";
import { ProviderError } from "../../providers/provider-error.js";
import { notConnected, providerNotConfigured, reconnectRequired } from "../calendar/calendar-errors.js";
import type { EventsDependencies } from "./events-dependencies.js";
import { missingProvider, noProviderAnswered } from "./provider-outcome.js";

export interface ConnectedCalendar {
  provider: CalendarProviderId;
  accountEmail: string | null;
  needsReconnect: boolean;
  connectedAt: Date;
}

export interface FanOut<T> {
  answers: Array<{ provider: CalendarProviderId; value: T }>;
  missing: MissingProvider[];
}

export type ProviderCall<T> = (
  api: CalendarApi,
  token: () => Promise<string>,
  calendar: ConnectedCalendar,
) => Promise<T>;

/**
 * How the events code reaches a user's calendars: which are connected, one valid access token per
 * call (renewed once when the provider refuses it mid-request), every provider asked at once, each
 * within the deadline, and a failure turned into a `missingProviders` entry instead of an error.
 */
export class CalendarGateway {
  constructor(
    private readonly db: Database,
    private readonly deps: EventsDependencies,
  ) {}

  /** The user's connections as stored now. */
  async connectedCalendars(userId: string): Promise<ConnectedCalendar[]> {
    return (await listCalendarConnections(this.db, userId)).map((row) => ({
      provider: row.provider as CalendarProviderId,
      accountEmail: row.accountEmail,
      needsReconnect: row.needsReconnect,
      connectedAt: row.createdAt,
    }));
  }

  /** The user's connections (cached like provider answers), narrowed to one provider when asked. */
  async calendarsFor(userId: string, only?: CalendarProviderId): Promise<ConnectedCalendar[]> {
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
  async fanOut<T>(
    userId: string,
    calendars: ConnectedCalendar[],
    call: ProviderCall<T>,
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

  /** One provider call within the deadline, its failure as a domain error (booking, cancelling). */
  async callOne<T>(
    userId: string,
    provider: CalendarProviderId,
    call: (api: CalendarApi, token: () => Promise<string>) => Promise<T>,
  ): Promise<T> {
    try {
      return await this.withinDeadline(this.withToken(userId, provider, call), provider);
    } catch (error) {
      if (error instanceof DomainError || !(error instanceof ProviderError)) throw error;
      throw noProviderAnswered([missingProvider(provider, error)]);
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
}
