import { LRUCache } from "lru-cache";
import { type RateLimiterAbstract, RateLimiterRes } from "rate-limiter-flexible";

interface Lease {
  remaining: number;
  /** The shared window the points were taken from ends here; unused points end with it. */
  endsAt: number;
  /** Set once the shared counter refused: it stays over the limit until its window ends. */
  spent?: true;
}

/**
 * Takes points from a shared limiter (PostgreSQL) a lease at a time and hands them out in process, so
 * a busy key costs one database round trip per lease instead of one per request. Every request
 * served was paid for in the shared counter, in the window it is served in, so no key gets more than
 * its limit across instances. Unused points an instance still holds count as spent, so a key may be
 * refused up to (lease - 1) points early per other instance; the lease is a small share of the limit
 * (1 point for limits under 100, where counts stay exact).
 */
export class LeasedLimiter {
  /** Bounded: a lease forgotten early only costs its unused points. */
  private readonly leases = new LRUCache<string, Lease>({ max: 50_000 });
  /** One lease taken at a time per key; concurrent callers wait for it instead of taking their own. */
  private readonly taking = new Map<string, Promise<void>>();
  private readonly leaseSize: number;

  constructor(
    private readonly shared: RateLimiterAbstract,
    leaseShare = 1 / 100,
  ) {
    this.leaseSize = Math.max(1, Math.floor(shared.points * leaseShare));
  }

  /** Resolves when the points are granted; rejects with the shared limiter's RateLimiterRes when refused. */
  async consume(key: string, points = 1): Promise<void> {
    for (;;) {
      const lease = this.leases.get(key);
      const now = Date.now();
      if (lease && lease.endsAt > now) {
        if (lease.spent) throw new RateLimiterRes(0, lease.endsAt - now, this.shared.points + 1);
        if (lease.remaining >= points) {
          lease.remaining -= points;
          return;
        }
      }
      const pending = this.taking.get(key);
      if (!pending) return this.take(key, points);
      // Another request is taking a lease for this key: use it when it lands, or take the next one.
      await pending.catch(() => undefined);
    }
  }

  private async take(key: string, points: number): Promise<void> {
    const size = Math.max(points, this.leaseSize);
    const taking = this.shared.consume(key, size).then(
      (granted) => this.hold(key, { remaining: size - points }, granted.msBeforeNext),
      (refusal: unknown) => this.refused(key, refusal, size, points),
    );
    this.taking.set(key, taking);
    try {
      await taking;
    } finally {
      this.taking.delete(key);
    }
  }

  /**
   * The whole lease did not fit in what is left of the window: hand back what this request does not
   * need, and grant it if its own points still fit. Otherwise it is refused like any request.
   */
  private async refused(key: string, refusal: unknown, size: number, points: number): Promise<void> {
    this.leases.delete(key);
    if (!(refusal instanceof RateLimiterRes)) throw refusal;
    if (size > points) {
      const after = await this.shared.reward(key, size - points);
      if (after.consumedPoints <= this.shared.points) return;
    }
    this.hold(key, { remaining: 0, spent: true }, refusal.msBeforeNext);
    throw refusal;
  }

  private hold(key: string, lease: Omit<Lease, "endsAt">, msBeforeNext: number) {
    this.leases.set(key, { ...lease, endsAt: Date.now() + msBeforeNext }, { ttl: Math.max(1, msBeforeNext) });
  }
}
