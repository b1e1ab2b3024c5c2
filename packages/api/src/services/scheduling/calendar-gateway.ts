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
  signal: AbortSignal,
) => Promise<T>;

/** A call to one provider: given the API, a lazily fetched token and the signal to pass to every fetch. */
export type SingleCall<T> = (
  api: CalendarApi,
  token: () => Promise<string>,
  signal: AbortSignal,
) => Promise<T>;

/**
 * How scheduling reaches a user's calendars: which are connected, one valid access token per call
 * (renewed once when the provider refuses it mid-request), every provider asked at once, each within
 * the deadline, and a failure turned into a `missingProviders` entry instead of an error.
 *
 * Deadlines cancel: each call gets an AbortSignal (the provider deadline, combined with the caller's
 * own when it has one) that every fetch below it observes, so nothing keeps running after the answer.
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
   * Asks every calendar at once, each within the deadline (and the caller's `signal`). With
   * `cacheKey`, the whole provider call (token, request, renewal after a 401) is what the cache holds
   * and concurrent callers share: a caller joining a load that hit a refused token gets the retried
   * answer, not the 401. A shared load is bounded by the provider deadline alone, since it outlives
   * the caller that started it.
   */
  async fanOut<T>(
    userId: string,
    calendars: ConnectedCalendar[],
    call: ProviderCall<T>,
    cacheKey?: (calendar: ConnectedCalendar) => string[],
    signal?: AbortSignal,
  ): Promise<FanOut<T>> {
    const settled = await Promise.allSettled(
      calendars.map((calendar) => {
        if (calendar.needsReconnect) return Promise.reject(reconnectRequired(calendar.provider));
        const load = (deadline: AbortSignal) =>
          this.withToken(userId, calendar.provider, deadline, (api, token) =>
            call(api, token, calendar, deadline),
          );
        return cacheKey
          ? this.deps.cache.getOrLoad(userId, cacheKey(calendar), () => load(this.deadline()))
          : load(this.deadline(signal));
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

  /** The provider deadline, ended early when the caller's own signal ends first. */
  private deadline(signal?: AbortSignal): AbortSignal {
    const own = AbortSignal.timeout(this.deps.providerDeadlineMs);
    return signal ? AbortSignal.any([signal, own]) : own;
  }

  /**
   * Runs `call` with a valid access token. The token is fetched lazily, so a cache hit costs no token
   * lookup; a token the provider refuses mid-request (401) is renewed once and the call retried. A
   * refresh either needs runs under the call's `signal`.
   */
  private async withToken<T>(
    userId: string,
    provider: CalendarProviderId,
    signal: AbortSignal,
    call: (api: CalendarApi, token: () => Promise<string>) => Promise<T>,
  ): Promise<T> {
    const api = this.deps.calendars[provider];
    if (!api) throw providerNotConfigured(provider);
    let issued: string | undefined;
    const token = async () => {
      issued ??= await this.deps.tokens.getAccessToken(userId, provider, signal);
      return issued;
    };
    try {
      return await call(api, token);
    } catch (error) {
      if (!(error instanceof ProviderError && error.kind === "expired_token") || issued === undefined)
        throw error;
      const renewed = await this.deps.tokens.renewAccessToken(userId, provider, issued, signal);
      return call(api, async () => renewed);
    }
  }

  /**
   * One provider call (booking, cancelling, compensating) under `signal` alone: the caller decides its
   * deadline, because a booking's steps share one. Failures are thrown as the provider reported them
   * (ProviderError), for a caller that must tell "refused" from "may have happened".
   */
  callOne<T>(
    userId: string,
    provider: CalendarProviderId,
    signal: AbortSignal,
    call: SingleCall<T>,
  ): Promise<T> {
    return this.withToken(userId, provider, signal, (api, token) => call(api, token, signal));
  }
}

/** A provider's failure as the domain error a caller sees; other errors pass unchanged. */
export function asDomainError(provider: CalendarProviderId, error: unknown): unknown {
  if (error instanceof DomainError || !(error instanceof ProviderError)) return error;
  return noProviderAnswered([missingProvider(provider, error)]);
}
