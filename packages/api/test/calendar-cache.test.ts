import { describe, expect, it } from "vitest";
import { CalendarCache } from "../src/services/scheduling/calendar-cache.js";

describe("calendar cache", () => {
  it("holds answers up to their total weight, not a number of entries", async () => {
    const cache = new CalendarCache(60_000, 1_000);
    let loads = 0;
    const answer = (n: number) =>
      cache.getOrLoad("user", [String(n)], async () => {
        loads += 1;
        return new Array(50).fill(n);
      });
    for (let n = 0; n < 100; n++) await answer(n);
    expect(loads).toBe(100);
    // Each answer weighs 51: the 19 most recent fit in 1,000.
    for (let n = 81; n < 100; n++) await answer(n);
    expect(loads).toBe(100);
    await answer(0);
    expect(loads).toBe(101);
  });

  it("shares one load between concurrent callers and forgets what `keep` refuses", async () => {
    const cache = new CalendarCache(60_000);
    let loads = 0;
    const load = async () => {
      loads += 1;
      return { partial: loads === 1 };
    };
    const keep = (value: { partial: boolean }) => !value.partial;
    const [first, second] = await Promise.all([
      cache.getOrLoad("user", ["k"], load, { keep }),
      cache.getOrLoad("user", ["k"], load, { keep }),
    ]);
    expect(first).toBe(second);
    expect(loads).toBe(1);
    await cache.getOrLoad("user", ["k"], load, { keep });
    await cache.getOrLoad("user", ["k"], load, { keep });
    expect(loads).toBe(2);
  });
});
