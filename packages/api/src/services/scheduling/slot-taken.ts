import { DomainError } from "../../errors.js";
import type { TimeRange } from "../../time/time-ranges.js";
import { isoInZone } from "../../time/zoned-time.js";

/**
 * A time that cannot be booked, carrying the nearest times that can, so every door can offer them:
 * the API in its message, the voice agent in words.
 */
export class UnbookableTimeError extends DomainError {
  constructor(
    kind: "conflict" | "bad_request",
    reason: string,
    readonly reasonText: string,
    readonly alternatives: readonly TimeRange[],
    timeZone: string,
  ) {
    const offered = alternatives.map((slot) => isoInZone(slot.start, timeZone)).join(", ");
    super(
      kind,
      offered ? `${reason} Nearest free times: ${offered}` : `${reason} No free times close to it.`,
    );
  }
}

/** CONFLICT for a time another booking holds (in this backend's ledger or on the calendar). */
export class SlotTakenError extends UnbookableTimeError {
  constructor(reason: string, alternatives: readonly TimeRange[], timeZone: string) {
    super("conflict", reason, reason, alternatives, timeZone);
  }
}

/** BAD_REQUEST naming `start` for a time the booking rules do not allow (hours, notice, horizon, cap). */
export class OutsideRulesError extends UnbookableTimeError {
  constructor(reason: string, alternatives: readonly TimeRange[], timeZone: string) {
    super("bad_request", `start: ${reason}`, reason, alternatives, timeZone);
  }
}
