import { DomainError } from "../../errors.js";
import type { TimeRange } from "../../time/time-ranges.js";
import { isoInZone } from "../../time/zoned-time.js";

/**
 * CONFLICT for a time another booking holds (in this backend's ledger or on the calendar), carrying the
 * nearest free times so every door can offer them: the API in its message, the voice agent in words.
 */
export class SlotTakenError extends DomainError {
  constructor(
    reason: string,
    readonly alternatives: readonly TimeRange[],
    timeZone: string,
  ) {
    const offered = alternatives.map((slot) => isoInZone(slot.start, timeZone)).join(", ");
    super(
      "conflict",
      offered ? `${reason} Nearest free times: ${offered}` : `${reason} No free times close to it.`,
    );
  }
}
