import { describe, expect, it } from "vitest";
import { findFreeSlots } from "../src/services/scheduling/free-slots.js";
import type { TimeRange } from "../src/time/time-ranges.js";
import { bookableWindows, defaultWeeklyHours } from "../src/time/working-hours.js";

const at = (iso: string) => new Date(iso);

/** Slots in the default hours (Monday to Friday 09:00-17:00) of the zone. */
function slots(query: {
  from: Date;
  to: Date;
  timeZone: string;
  busy?: TimeRange[];
  durationMinutes?: number;
  bufferMinutes?: number;
  bufferBeforeMinutes?: number;
  bufferAfterMinutes?: number;
  intervalMinutes?: number;
}) {
  const hours = { weeklyHours: defaultWeeklyHours, dateOverrides: [] };
  return findFreeSlots({
    windows: bookableWindows(hours, query.timeZone, query.from, query.to),
    timeZone: query.timeZone,
    durationMinutes: query.durationMinutes ?? 60,
    bufferBeforeMinutes: query.bufferBeforeMinutes ?? query.bufferMinutes ?? 0,
    bufferAfterMinutes: query.bufferAfterMinutes ?? query.bufferMinutes ?? 0,
    intervalMinutes: query.intervalMinutes,
    busy: query.busy ?? [],
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

  it("keeps different buffers before and after a busy period, and starts on the interval's grid", () => {
    const busy = [{ start: at("2026-03-02T16:00:00Z"), end: at("2026-03-02T17:00:00Z") }]; // 10:00-11:00 CST
    const day = {
      from: at("2026-03-02T15:00:00Z"),
      to: at("2026-03-02T19:00:00Z"),
      timeZone: "America/Chicago",
      busy,
    };
    // A slot must end 30 minutes before 10:00 and start 10 minutes after 11:00.
    expect(slots({ ...day, durationMinutes: 30, bufferAfterMinutes: 30, bufferBeforeMinutes: 10 })).toEqual([
      "2026-03-02T15:00:00.000Z",
      "2026-03-02T17:15:00.000Z",
      "2026-03-02T17:45:00.000Z",
      "2026-03-02T18:15:00.000Z",
    ]);
    expect(
      slots({
        ...day,
        durationMinutes: 20,
        bufferAfterMinutes: 30,
        bufferBeforeMinutes: 10,
        intervalMinutes: 30,
      }),
    ).toEqual([
      "2026-03-02T15:00:00.000Z",
      "2026-03-02T17:30:00.000Z",
      "2026-03-02T18:00:00.000Z",
      "2026-03-02T18:30:00.000Z",
    ]);
  });
});
