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

  /**
   * `maxWeight` bounds memory, not the number of entries: an answer weighs one unit per item it holds
   * (busy range, slot, event), so a few long answers cannot hold more than many short ones. A slot of
   * an availability answer measured about 530 bytes, so 40,000 units stay near 20 MB. Entries
   * past their time are dropped every `ttlMs` rather than only when next read.
   */
  constructor(ttlMs: number, maxWeight = 40_000) {
    const ttl = Math.max(ttlMs, 1);
    this.entries = new LRUCache({ maxSize: maxWeight, ttl });
    setInterval(() => this.entries.purgeStale(), Math.max(ttl, 1_000)).unref();
  }

  private key(userId: string, parts: readonly string[]): string {
    return `${userId}\u0000${this.generations.get(userId) ?? 0}\u0000${parts.join("\u0000")}`;
  }

  /**
   * The cached value, or the loader's. Concurrent callers share one in-flight load; a failed load is
   * forgotten so the next caller tries again, and so is a value `keep` refuses (e.g. a partial answer).
   * A kept value is weighed by `weigh` (default: an array's length) once it has loaded.
   */
  getOrLoad<T>(
    userId: string,
    parts: readonly string[],
    load: () => Promise<T>,
    {
      keep = () => true,
      weigh = weightOf,
    }: { keep?: (value: T) => boolean; weigh?: (value: T) => number } = {},
  ): Promise<T> {
    const key = this.key(userId, parts);
    const hit = this.entries.get(key);
    if (hit) return hit as Promise<T>;
    const loading = load();
    this.entries.set(key, loading, { size: 1 });
    const current = () => this.entries.peek(key) === loading;
    loading.then(
      (value) => {
        if (!current()) return;
        if (!keep(value)) this.entries.delete(key);
        else {
          // Stored again with its weight (lru-cache keeps the old size when the same value is set
          // again); its time to live counts from when it loaded.
          this.entries.delete(key);
          this.entries.set(key, loading, { size: 1 + weigh(value) });
        }
      },
      () => {
        if (current()) this.entries.delete(key);
      },
    );
    return loading;
  }

  invalidate(userId: string): void {
    this.generations.set(userId, (this.generations.get(userId) ?? 0) + 1);
  }
}

const weightOf = (value: unknown): number => (Array.isArray(value) ? value.length : 0);
