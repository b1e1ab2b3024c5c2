import { createHash } from "node:crypto";
import type { Caller } from "@viewings/api";
import { LRUCache } from "lru-cache";

type SignedInCaller = Extract<Caller, { type: "user" }>;

/**
 * Remembers bearer tokens Clerk has already verified, until they expire. A Clerk session token is a
 * self-contained JWT (verified here without any revocation lookup), so a token that verified once
 * verifies identically until its exp; re-running the RSA check and Clerk's request handling on every
 * call is most of the per-request cost. Keys are SHA-256 digests, so the cache holds no token.
 */
export class VerifiedSessionCache {
  private readonly entries = new LRUCache<string, SignedInCaller>({ max: 10_000, ttlAutopurge: false });

  private static key(token: string): string {
    return createHash("sha256").update(token).digest("base64url");
  }

  get(token: string): SignedInCaller | undefined {
    return this.entries.get(VerifiedSessionCache.key(token));
  }

  /** Caches until `expiresAt` (seconds since epoch, the token's exp claim). */
  set(token: string, caller: SignedInCaller, expiresAt: number): void {
    const ttl = expiresAt * 1000 - Date.now();
    if (ttl > 0) this.entries.set(VerifiedSessionCache.key(token), caller, { ttl });
  }
}
