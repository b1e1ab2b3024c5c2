import { describe, expect, it } from "vitest";
import { type FreeSlotQuery, findFreeSlots } from "../src/services/scheduling/free-slots.js";

const weekdays = { start: "09:00", end: "17:00", days: [1, 2, 3, 4, 5] };
const at = (iso: string) => new Date(iso);

function slots(query: Partial<FreeSlotQuery> & Pick<FreeSlotQuery, "from" | "to" | "timeZone">) {
  return findFreeSlots({
    durationMinutes: 60,
    bufferMinutes: 0,
    workingHours: weekdays,
    busy: [],
    ...query,
  }).map((slot) => slot.start.toISOString());
}

describe("findFreeSlots", () => {
  it("keeps 09:00 local across the US spring-forward weekend in America/Chicago", () => {
    const starts = slots({
      from: at("2026-03-06T00:00:00Z"),
      to: at("2026-03-10T00:00:00Z"),
      timeZone: "America/Chicago",
    });
    expect(starts[0]).toBe("2026-03-06T15:00:00.000Z"); // Friday 09:00 CST (-06:00)
    expect(starts).toContain("2026-03-09T14:00:00.000Z"); // Monday 09:00 CDT (-05:00)
    expect(
      starts.filter((start) => start.startsWith("2026-03-07") || start.startsWith("2026-03-08")),
    ).toEqual([]);
    expect(starts).toHaveLength(16);
  });

  it("keeps 09:00 local across the UK clock change in Europe/London", () => {
    const starts = slots({
      from: at("2026-03-27T00:00:00Z"),
      to: at("2026-03-31T00:00:00Z"),
      timeZone: "Europe/London",
    });
    expect(starts[0]).toBe("2026-03-27T09:00:00.000Z"); // Friday 09:00 GMT
    expect(starts).toContain("2026-03-30T08:00:00.000Z"); // Monday 09:00 BST
    expect(starts.at(-1)).toBe("2026-03-30T15:00:00.000Z"); // Monday 16:00 BST, last hour before 17:00
  });

  it("handles a +05:30 zone (Asia/Kolkata)", () => {
    const starts = slots({
      from: at("2026-03-02T00:00:00Z"),
      to: at("2026-03-03T00:00:00Z"),
      timeZone: "Asia/Kolkata",
    });
    expect(starts[0]).toBe("2026-03-02T03:30:00.000Z"); // 09:00 IST
    expect(starts.at(-1)).toBe("2026-03-02T10:30:00.000Z"); // 16:00 IST
  });

  it("removes busy time and keeps the buffer around it", () => {
    const busy = [{ start: at("2026-03-02T16:00:00Z"), end: at("2026-03-02T17:00:00Z") }]; // 10:00-11:00 CST
    const day = {
      from: at("2026-03-02T15:00:00Z"),
      to: at("2026-03-02T19:00:00Z"),
      timeZone: "America/Chicago",
      busy,
    };
    expect(slots(day)).toEqual([
      "2026-03-02T15:00:00.000Z",
      "2026-03-02T17:00:00.000Z",
      "2026-03-02T18:00:00.000Z",
    ]);
    expect(slots({ ...day, bufferMinutes: 15 })).toEqual(["2026-03-02T17:15:00.000Z"]);
  });

  it("aligns to the local quarter hour after an odd meeting end and never starts inside busy time", () => {
    const busy = [{ start: at("2026-03-02T15:00:00Z"), end: at("2026-03-02T15:10:00Z") }];
    const starts = slots({
      from: at("2026-03-02T15:00:00Z"),
      to: at("2026-03-02T17:00:00Z"),
      timeZone: "America/Chicago",
      busy,
      durationMinutes: 30,
    });
    expect(starts).toEqual([
      "2026-03-02T15:15:00.000Z",
      "2026-03-02T15:45:00.000Z",
      "2026-03-02T16:15:00.000Z",
    ]);
  });

  it("merges overlapping busy periods from several calendars", () => {
    const busy = [
      { start: at("2026-03-02T15:00:00Z"), end: at("2026-03-02T16:30:00Z") },
      { start: at("2026-03-02T16:00:00Z"), end: at("2026-03-02T22:00:00Z") },
    ];
    expect(
      slots({
        from: at("2026-03-02T00:00:00Z"),
        to: at("2026-03-03T06:00:00Z"),
        timeZone: "America/Chicago",
        busy,
      }),
    ).toEqual(["2026-03-02T22:00:00.000Z"]);
  });
});
