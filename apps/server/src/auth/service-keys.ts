import { createHash, timingSafeEqual } from "node:crypto";

const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * Matches a presented bearer against the configured service keys in constant time: comparing fixed-size
 * digests hides the keys' lengths, and every key is compared so timing does not reveal which matched.
 */
export function createServiceKeyMatcher(keys: readonly string[]): (presented: string) => number {
  const digests = keys.map(digest);
  return (presented) => {
    const candidate = digest(presented);
    let matched = -1;
    digests.forEach((key, index) => {
      if (timingSafeEqual(key, candidate) && matched < 0) matched = index;
    });
    return matched;
  };
}
