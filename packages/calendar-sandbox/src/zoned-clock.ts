// Wall-clock arithmetic in IANA zones for the loopback calendar fakes and tests, with Intl only (the
// fakes also run from the compiled bench, which has no date library). Deliberately independent of the
// server's luxon-based code, so a zone bug there is not mirrored here.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(zone, format);
  }
  return format;
}

/** True for "UTC" and names Intl knows ("America/Chicago"); Windows names are not supported here. */
export function isKnownZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** "2027-03-15T09:00:00": the wall-clock time of an instant in a zone. */
export function wallTime(instant: Date, zone: string): string {
  const parts = Object.fromEntries(
    formatter(zone)
      .formatToParts(instant)
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
}

/** Minutes the zone is ahead of UTC at that instant (-300 for Chicago in summer, +330 for Kolkata). */
export function offsetMinutes(instant: Date, zone: string): number {
  const asUtc = Date.parse(`${wallTime(instant, zone)}Z`);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/**
 * The instant a wall-clock time ("2027-03-15T09:00[:00]") names in a zone. A time skipped by a DST
 * change resolves to the later offset's reading (02:30 on a spring-forward day becomes 03:30).
 */
export function instantAt(wall: string, zone: string): Date {
  const naive = Date.parse(`${wall.length === 16 ? `${wall}:00` : wall.slice(0, 19)}Z`);
  if (Number.isNaN(naive)) throw new Error(`not a wall time: ${wall}`);
  let guess = naive - offsetMinutes(new Date(naive), zone) * 60_000;
  guess = naive - offsetMinutes(new Date(guess), zone) * 60_000;
  return new Date(guess);
}

/** RFC 3339 with the zone's offset: "2027-03-15T09:00:00-05:00" ("Z" for UTC). */
export function isoWithOffset(instant: Date, zone: string): string {
  const offset = offsetMinutes(instant, zone);
  if (zone === "UTC") return `${wallTime(instant, zone)}Z`;
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  const hh = String(Math.floor(abs / 60)).padStart(2, "0");
  const mm = String(abs % 60).padStart(2, "0");
  return `${wallTime(instant, zone)}${sign}${hh}:${mm}`;
}

/** Calendar date arithmetic on "yyyy-MM-dd" strings (no zone involved). */
export function addDays(date: string, days: number): string {
  const next = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + days);
  return next.toISOString().slice(0, 10);
}
