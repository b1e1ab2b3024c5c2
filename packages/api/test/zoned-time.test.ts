import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { spokenDateTime } from "../src/services/voice-agent/spoken-time.js";
import {
  instantFromWallTime,
  instantOfWallMs,
  localDay,
  localDayRange,
  startOfDateInZone,
} from "../src/time/zoned-time.js";

const zones = ["America/Chicago", "Europe/London", "Australia/Lord_Howe", "Asia/Kolkata", "America/Havana"];

describe("zone arithmetic from cached offsets", () => {
  it("reads days and speaks times exactly as luxon/Intl do, across DST changes", () => {
    // Every 7 hours 13 minutes for three years: every DST change of these zones is crossed.
    for (let ms = Date.UTC(2026, 0, 1); ms < Date.UTC(2029, 0, 1); ms += 26_000_000) {
      for (const zone of zones) {
        const instant = new Date(ms);
        const zoned = DateTime.fromJSDate(instant, { zone });
        expect(localDay(instant, zone)).toBe(zoned.toISODate());
        expect(spokenDateTime(instant, zone)).toBe(
          zoned.setLocale("en-US").toFormat("cccc, LLLL d 'at' h:mm a"),
        );
      }
    }
  });

  it("moves a skipped wall time forward by the gap and reads a repeated one as its first occurrence", () => {
    // Chicago springs forward at 02:00 on 2026-03-08 and falls back at 02:00 on 2026-11-01.
    expect(new Date(instantOfWallMs(Date.UTC(2026, 2, 8, 2, 30), "America/Chicago")).toISOString()).toBe(
      "2026-03-08T08:30:00.000Z", // 03:30 CDT
    );
    expect(new Date(instantOfWallMs(Date.UTC(2026, 10, 1, 1, 30), "America/Chicago")).toISOString()).toBe(
      "2026-11-01T06:30:00.000Z", // 01:30 CDT, the first of the two
    );
  });

  it("starts a day whose midnight is skipped at its first reading, and spans 23 hours", () => {
    // Havana springs forward at midnight: 2027-03-14 begins at 01:00 CDT.
    const day = localDayRange(new Date("2027-03-14T12:00:00Z"), "America/Havana");
    expect(day.start.toISOString()).toBe("2027-03-14T05:00:00.000Z");
    expect(day.end.toISOString()).toBe("2027-03-15T04:00:00.000Z");
    expect(startOfDateInZone("2027-03-14", "America/Havana").toISOString()).toBe(day.start.toISOString());
  });

  it("refuses dates that are not on the calendar and reads Graph's UTC wall times", () => {
    expect(Number.isNaN(startOfDateInZone("2027-02-30", "UTC").getTime())).toBe(true);
    expect(instantFromWallTime("2027-03-03T20:00:00.0000000", "UTC").toISOString()).toBe(
      "2027-03-03T20:00:00.000Z",
    );
    expect(() => instantFromWallTime("2027-02-30T20:00:00.0000000", "UTC")).toThrow(/unreadable/);
    expect(instantFromWallTime("2027-03-03T14:00:00", "America/Chicago").toISOString()).toBe(
      "2027-03-03T20:00:00.000Z",
    );
  });
});
