import type { Database } from "../client.js";
import type { OAuthState } from "../generated/prisma/client.js";

export type OAuthStateRow = OAuthState;

export interface OAuthStateData {
  /** SHA-256 hex of the state value; the value itself is never stored. */
  stateHash: string;
  userId: string;
  provider: "microsoft" | "google";
  /** Ciphertext of the PKCE code verifier. */
  codeVerifier: string;
  returnTo: string | null;
  expiresAt: Date;
}

export async function insertOAuthState(db: Database, data: OAuthStateData): Promise<void> {
  await db.oAuthState.create({ data });
}

/**
 * Takes a state out of the table in one statement (DELETE ... RETURNING), so two callbacks racing with
 * the same state cannot both get it. Expired rows are returned too: the caller decides and reports.
 */
export async function consumeOAuthState(db: Database, stateHash: string): Promise<OAuthStateRow | null> {
  const rows = await db.$queryRaw<
    Array<{
      state_hash: string;
      user_id: string;
      provider: string;
      code_verifier: string;
      return_to: string | null;
      expires_at: Date;
      created_at: Date;
    }>
  >`DELETE FROM oauth_states WHERE state_hash = ${stateHash} RETURNING state_hash, user_id::text AS user_id, provider, code_verifier, return_to, expires_at, created_at`;
  const row = rows[0];
  if (!row) return null;
  return {
    stateHash: row.state_hash,
    userId: row.user_id,
    provider: row.provider,
    codeVerifier: row.code_verifier,
    returnTo: row.return_to,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
  };
}

/** Housekeeping: abandoned flows leave rows behind; each new flow sweeps the expired ones. */
export async function deleteExpiredOAuthStates(db: Database, now: Date = new Date()): Promise<number> {
  const { count } = await db.oAuthState.deleteMany({ where: { expiresAt: { lt: now } } });
  return count;
}
