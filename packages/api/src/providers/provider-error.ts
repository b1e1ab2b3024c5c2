/**
 * A provider call that failed. `invalid_grant`: the grant is revoked or expired and only a new consent
 * helps; `expired_token`: the API refused the access token (401), a refresh may help; `throttled`: still
 * rate-limited after honouring Retry-After; `timeout`: no answer in time; `rejected`: any other
 * OAuth/API refusal; `unavailable`: network, 5xx, garbage.
 * Messages carry the provider's error code and status, never request bodies (they hold codes/tokens).
 */
export type ProviderErrorKind =
  | "invalid_grant"
  | "expired_token"
  | "throttled"
  | "timeout"
  | "rejected"
  | "unavailable";

export class ProviderError extends Error {
  override name = "ProviderError";
  constructor(
    readonly kind: ProviderErrorKind,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** For deletions: an event the provider no longer has (404, 410) is already what the caller wants. */
export function ignoreGone(error: unknown): void {
  if (error instanceof ProviderError && (error.status === 404 || error.status === 410)) return;
  throw error;
}
