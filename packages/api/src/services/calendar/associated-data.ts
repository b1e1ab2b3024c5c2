import type { CalendarProviderId } from "@viewings/validators";

// Associated data for TokenCipher: binds each ciphertext to the row and column it was written to.

export type ConnectionTokenField = "access_token" | "refresh_token";

export function connectionTokenAad(
  userId: string,
  provider: CalendarProviderId,
  field: ConnectionTokenField,
) {
  return `user_calendar_connections:${userId}:${provider}:${field}`;
}

export function codeVerifierAad(stateHash: string) {
  return `oauth_states:${stateHash}:code_verifier`;
}
