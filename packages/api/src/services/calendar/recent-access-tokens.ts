import type { CalendarProviderId } from "@viewings/validators";
import { LRUCache } from "lru-cache";

/**
 * Access tokens this process handed out moments ago. A voice call or a page load asks both calendars
 * several times within seconds; remembering the decrypted token briefly saves a row read and a
 * decryption per call. Entries live at most `maxAgeMs` (so a disconnect made by another instance is
 * seen within that time), never past the point where the token is due for refresh, and are dropped
 * at once when this process changes the connection or a provider refuses the token.
 */
export class RecentAccessTokens {
  private readonly entries = new LRUCache<string, string>({ max: 20_000 });

  constructor(
    private readonly maxAgeMs: number,
    private readonly refreshAheadMs: number,
  ) {}

  private static key(userId: string, provider: CalendarProviderId): string {
    return `${userId}:${provider}`;
  }

  get(userId: string, provider: CalendarProviderId): string | undefined {
    return this.entries.get(RecentAccessTokens.key(userId, provider));
  }

  remember(userId: string, provider: CalendarProviderId, token: string, expiresAt: Date | null): void {
    const untilRefresh = expiresAt ? expiresAt.getTime() - this.refreshAheadMs - Date.now() : this.maxAgeMs;
    const ttl = Math.min(this.maxAgeMs, untilRefresh);
    if (ttl > 0) this.entries.set(RecentAccessTokens.key(userId, provider), token, { ttl });
  }

  forget(userId: string, provider?: CalendarProviderId): void {
    const providers: CalendarProviderId[] = provider ? [provider] : ["microsoft", "google"];
    for (const each of providers) this.entries.delete(RecentAccessTokens.key(userId, each));
  }
}
