import { DomainError } from "../../errors.js";

/**
 * Accepts a post-connect destination only on an allowed frontend origin: anything else would make the
 * callback an open redirect.
 */
export function checkReturnTo(
  returnTo: string | undefined,
  allowedOrigins: readonly string[],
): string | null {
  if (!returnTo) return null;
  let origin: string;
  try {
    origin = new URL(returnTo).origin;
  } catch {
    throw new DomainError("bad_request", "returnTo: must be an absolute URL");
  }
  if (!allowedOrigins.includes(origin)) {
    throw new DomainError("bad_request", `returnTo: must be on an allowed frontend origin, not ${origin}`);
  }
  return returnTo;
}

/** `target` with auth=success, or auth=error&message=... added to its query. */
export function withOutcome(target: string, outcome: { ok: true } | { ok: false; message: string }): string {
  const url = new URL(target);
  url.searchParams.set("auth", outcome.ok ? "success" : "error");
  if (outcome.ok) url.searchParams.delete("message");
  else url.searchParams.set("message", outcome.message);
  return url.toString();
}

/**
 * `target` with auth=confirm&confirmation=<code>: the frontend, signed in, calls
 * calendar.confirmConnection({ code }) to attach the calendar to its user.
 */
export function withConfirmation(target: string, code: string): string {
  const url = new URL(target);
  url.searchParams.set("auth", "confirm");
  url.searchParams.delete("message");
  url.searchParams.set("confirmation", code);
  return url.toString();
}
