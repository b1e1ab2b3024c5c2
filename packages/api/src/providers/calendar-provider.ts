import type { CalendarProviderId } from "@viewings/validators";
import type { CalendarApi } from "./calendar-api.js";

export type { CalendarProviderId };

/** What a provider's token endpoint handed back, normalised (expires_in turned into a date). */
export interface ProviderTokens {
  accessToken: string;
  /** Null when the provider sent none (Google on refresh): the caller keeps the one it has. */
  refreshToken: string | null;
  expiresAt: Date | null;
  scope: string | null;
}

export interface AuthorizationRequest {
  state: string;
  /** PKCE S256 challenge: base64url(sha256(verifier)). */
  codeChallenge: string;
  redirectUri: string;
}

export interface CodeExchange {
  code: string;
  codeVerifier: string;
  redirectUri: string;
}

/**
 * One calendar provider's OAuth and calendar API (CalendarApi) behind one shape, so services never
 * branch on the provider. Implementations speak HTTP through the one provider client
 * (providers/api-request.ts) against configurable base URLs and throw ProviderError on failure.
 */
export interface CalendarProvider extends CalendarApi {
  readonly id: CalendarProviderId;
  /** For messages: "Microsoft", "Google". */
  readonly displayName: string;
  authorizationUrl(request: AuthorizationRequest): string;
  exchangeCode(exchange: CodeExchange): Promise<ProviderTokens>;
  /**
   * Bounded by the HTTP timeout alone, never by a caller's deadline: a refresh cut off after the
   * provider rotated the refresh token would lose the new one (the token service explains).
   */
  refresh(refreshToken: string): Promise<ProviderTokens>;
  /** The connected account's address, read with a fresh access token. */
  fetchAccountEmail(accessToken: string): Promise<string | null>;
  /** Withdraws the grant at the provider where it offers a way; a no-op where it does not. */
  revoke(tokens: { accessToken: string; refreshToken: string | null }): Promise<void>;
}

export type CalendarProviders = Partial<Record<CalendarProviderId, CalendarProvider>>;
