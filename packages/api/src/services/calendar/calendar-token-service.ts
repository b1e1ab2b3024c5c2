import {
  type CalendarConnectionRow,
  type Database,
  findCalendarConnection,
  markCalendarNeedsReconnect,
  replaceCalendarCiphertexts,
  updateCalendarTokens,
  withLockedCalendarConnection,
} from "@viewings/db";
import type { CalendarProviderId } from "@viewings/validators";
import { DecryptionError, type TokenCipher } from "../../crypto/token-cipher.js";
import { DomainError } from "../../errors.js";
import type { CalendarProvider, CalendarProviders } from "../../providers/calendar-provider.js";
import { ProviderError } from "../../providers/provider-error.js";
import { connectionTokenAad } from "./associated-data.js";
import {
  notConnected,
  providerName,
  providerNotConfigured,
  providerUnavailable,
  reconnectRequired,
} from "./calendar-errors.js";
import { RecentAccessTokens } from "./recent-access-tokens.js";

export interface TokenServiceOptions {
  /** Refresh when less than this is left on the access token. */
  refreshAheadMs: number;
  /** Upper bound of one provider call; the row lock is held at most a little longer. */
  providerTimeoutMs: number;
  onConnectionChanged?: (userId: string) => void;
  /** How long a handed-out access token is reused without reading the row again. Default 30 s. */
  recentTokenMaxAgeMs?: number;
}

type RefreshOutcome = { kind: "token"; accessToken: string } | { kind: "missing" } | { kind: "reconnect" };

/**
 * The one place that hands out provider access tokens. Refreshes ahead of expiry, at most once at a
 * time per connection: callers in this process share one in-flight refresh, and processes serialise on
 * the connection's row lock, re-reading under it so a token another process just refreshed is used
 * as is (Microsoft rotates refresh tokens; a second refresh with the old one would be refused).
 */
export class CalendarTokenService {
  private readonly inFlight = new Map<string, Promise<string>>();
  private readonly recent: RecentAccessTokens;

  constructor(
    private readonly db: Database,
    private readonly providers: CalendarProviders,
    private readonly cipher: TokenCipher,
    private readonly options: TokenServiceOptions,
  ) {
    this.recent = new RecentAccessTokens(options.recentTokenMaxAgeMs ?? 30_000, options.refreshAheadMs);
  }

  /**
   * A currently valid access token, or a PRECONDITION_FAILED naming the provider to (re)connect. The
   * caller stops waiting for a refresh when `signal` ends (a booking's deadline bounds it too).
   */
  async getAccessToken(
    userId: string,
    providerId: CalendarProviderId,
    signal?: AbortSignal,
  ): Promise<string> {
    const provider = this.providers[providerId];
    if (!provider) throw providerNotConfigured(providerId);
    const remembered = this.recent.get(userId, providerId);
    if (remembered) return remembered;
    const row = await findCalendarConnection(this.db, userId, providerId);
    if (!row) throw notConnected(providerId);
    if (row.needsReconnect) throw reconnectRequired(providerId);
    if (!this.isFresh(row)) return untilAborted(this.refreshOnce(userId, provider), signal, providerId);
    const token = await this.readAccessToken(row);
    this.recent.remember(userId, providerId, token, row.expiresAt);
    return token;
  }

  /** Drops what this process remembers of a user's tokens (their connections changed). */
  forget(userId: string): void {
    this.recent.forget(userId);
  }

  /**
   * A new access token after the provider refused `rejected` mid-request (revoked early, clock skew).
   * If another caller already replaced it, that token is used; otherwise it is refreshed now.
   */
  async renewAccessToken(
    userId: string,
    providerId: CalendarProviderId,
    rejected: string,
    signal?: AbortSignal,
  ): Promise<string> {
    const provider = this.providers[providerId];
    if (!provider) throw providerNotConfigured(providerId);
    this.recent.forget(userId, providerId);
    return untilAborted(this.refreshOnce(userId, provider, rejected), signal, providerId);
  }

  /**
   * Callers in this process needing a refresh of one connection share a single one. It is bounded by
   * the provider timeout, not by any caller's signal: a refresh cut off after Microsoft rotated the
   * refresh token would leave only the spent one stored, and the connection would need reconnecting.
   */
  private refreshOnce(userId: string, provider: CalendarProvider, rejected?: string): Promise<string> {
    const key = `${userId}:${provider.id}`;
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const refresh = this.refreshUnderLock(userId, provider, rejected).finally(() =>
      this.inFlight.delete(key),
    );
    this.inFlight.set(key, refresh);
    return refresh;
  }

  private isFresh(row: CalendarConnectionRow): boolean {
    // No expiry from the provider: use the token until it is refused.
    return !row.expiresAt || row.expiresAt.getTime() - Date.now() > this.options.refreshAheadMs;
  }

  private decrypt(row: CalendarConnectionRow, field: "access_token" | "refresh_token", value: string) {
    try {
      return this.cipher.decrypt(
        value,
        connectionTokenAad(row.userId, row.provider as CalendarProviderId, field),
      );
    } catch (error) {
      if (!(error instanceof DecryptionError)) throw error;
      // A key missing from TOKEN_ENCRYPTION_KEYS is an operator problem, not the user's: do not mark
      // the connection for reconnect, fail loudly instead.
      throw new DomainError("unavailable", "Stored calendar credentials cannot be decrypted", {
        cause: error,
      });
    }
  }

  /** Decrypts the access token; one still under a retired key is re-encrypted under the current key. */
  private async readAccessToken(row: CalendarConnectionRow): Promise<string> {
    const access = this.decrypt(row, "access_token", row.accessToken);
    const refresh = row.refreshToken ? this.decrypt(row, "refresh_token", row.refreshToken) : null;
    if (access.stale || refresh?.stale) {
      const provider = row.provider as CalendarProviderId;
      await replaceCalendarCiphertexts(
        this.db,
        row.id,
        { accessToken: row.accessToken, refreshToken: row.refreshToken },
        {
          accessToken: this.cipher.encrypt(
            access.plaintext,
            connectionTokenAad(row.userId, provider, "access_token"),
          ),
          refreshToken: refresh
            ? this.cipher.encrypt(
                refresh.plaintext,
                connectionTokenAad(row.userId, provider, "refresh_token"),
              )
            : null,
        },
      );
    }
    return access.plaintext;
  }

  private async refreshUnderLock(
    userId: string,
    provider: CalendarProvider,
    rejected?: string,
  ): Promise<string> {
    let outcome: RefreshOutcome;
    try {
      outcome = await withLockedCalendarConnection(
        this.db,
        userId,
        provider.id,
        // Waiting for another holder's refresh plus our own provider call.
        2 * this.options.providerTimeoutMs + 5_000,
        async (tx, row): Promise<RefreshOutcome> => {
          if (!row) return { kind: "missing" };
          if (row.needsReconnect) return { kind: "reconnect" };
          // Another process refreshed while we waited for the lock: use its result.
          const stored = this.decrypt(row, "access_token", row.accessToken).plaintext;
          const replaced = rejected !== undefined && stored !== rejected;
          if (replaced || (rejected === undefined && this.isFresh(row)))
            return { kind: "token", accessToken: stored };
          if (!row.refreshToken) {
            await markCalendarNeedsReconnect(tx, row.id);
            return { kind: "reconnect" };
          }
          const refreshToken = this.decrypt(row, "refresh_token", row.refreshToken).plaintext;
          let tokens: Awaited<ReturnType<CalendarProvider["refresh"]>>;
          try {
            tokens = await provider.refresh(refreshToken);
          } catch (error) {
            if (!(error instanceof ProviderError) || error.kind !== "invalid_grant") throw error;
            // Committed with the transaction: the user sees needsReconnect in calendar.status.
            await markCalendarNeedsReconnect(tx, row.id);
            return { kind: "reconnect" };
          }
          const aad = (field: "access_token" | "refresh_token") =>
            connectionTokenAad(userId, provider.id, field);
          await updateCalendarTokens(tx, row.id, {
            accessToken: this.cipher.encrypt(tokens.accessToken, aad("access_token")),
            // Google omits refresh_token on refresh: keep ours. Microsoft rotates it: store the new one.
            refreshToken: this.cipher.encrypt(tokens.refreshToken ?? refreshToken, aad("refresh_token")),
            expiresAt: tokens.expiresAt,
            scope: tokens.scope ?? row.scope,
          });
          return { kind: "token", accessToken: tokens.accessToken };
        },
      );
    } catch (error) {
      if (error instanceof ProviderError) throw providerUnavailable(provider.id, error);
      throw error;
    }
    if (outcome.kind === "missing") throw notConnected(provider.id);
    if (outcome.kind === "reconnect") {
      this.options.onConnectionChanged?.(userId);
      throw reconnectRequired(provider.id);
    }
    return outcome.accessToken;
  }
}

/**
 * The refresh's answer, or a TIMEOUT as soon as the caller's signal ends. The refresh itself carries on
 * and stores what it gets (see refreshOnce), so the next call finds a fresh token.
 */
function untilAborted<T>(
  work: Promise<T>,
  signal: AbortSignal | undefined,
  provider: CalendarProviderId,
): Promise<T> {
  if (!signal) return work;
  const stopped = () => new DomainError("timeout", `${providerName(provider)} did not answer in time`);
  if (signal.aborted) return Promise.reject(stopped());
  return new Promise<T>((resolve, reject) => {
    const stop = () => reject(stopped());
    signal.addEventListener("abort", stop, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", stop));
  });
}
