import { LRUCache } from "lru-cache";

/**
 * Short-lived per-user cache of provider answers (busy times, event listings). The voice agent asks
 * the same question several times in one call; the providers are slow and rate-limited.
 *
 * Invalidation is per user and O(1): every key embeds the user's generation number, and invalidate()
 * bumps it, so entries written before a booking or a connection change can no longer be found (the
 * LRU ages them out). Each process has its own cache: availability therefore also reads the shared
 * bookings ledger on every answer, so another instance's bookings are never offered.
 */
export class CalendarCache {
  private readonly entries: LRUCache<string, Promise<unknown>>;
  private readonly generations = new Map<string, number>();

  constructor(ttlMs: number, maxEntries = 20_000) {
    this.entries = new LRUCache({ max: maxEntries, ttl: Math.max(ttlMs, 1) });
  }

  private key(userId: string, parts: readonly string[]): string {
    return `${userId}\u0000${this.generations.get(userId) ?? 0}\u0000${parts.join("\u0000")}`;
  }

  /**
   * The cached value, or the loader's. Concurrent callers share one in-flight load; a failed load is
   * forgotten so the next caller tries again, and so is a value `keep` refuses (e.g. a partial answer).
   */
  getOrLoad<T>(
    userId: string,
    parts: readonly string[],
    load: () => Promise<T>,
    keep: (value: T) => boolean = () => true,
  ): Promise<T> {
    const key = this.key(userId, parts);
    const hit = this.entries.get(key);
    if (hit) return hit as Promise<T>;
    const loading = load();
    this.entries.set(key, loading);
    const forget = () => {
      if (this.entries.get(key) === loading) this.entries.delete(key);
    };
    loading.then((value) => {
      if (!keep(value)) forget();
    }, forget);
    return loading;
  }

  invalidate(userId: string): void {
    this.generations.set(userId, (this.generations.get(userId) ?? 0) + 1);
  }
}
