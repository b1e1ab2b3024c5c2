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
  /** False: the callback attaches the calendar at once (the old frontend's flows, when allowed). */
  needsConfirmation: boolean;
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
      needs_confirmation: boolean;
      expires_at: Date;
      created_at: Date;
    }>
  >`DELETE FROM oauth_states WHERE state_hash = ${stateHash} RETURNING state_hash, user_id::text AS user_id, provider, code_verifier, return_to, needs_confirmation, expires_at, created_at`;
  const row = rows[0];
  if (!row) return null;
  return {
    stateHash: row.state_hash,
    userId: row.user_id,
    provider: row.provider,
    codeVerifier: row.code_verifier,
    returnTo: row.return_to,
    needsConfirmation: row.needs_confirmation,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
  };
}

/** Housekeeping: abandoned flows leave rows behind; each new flow sweeps the expired ones. */
export async function deleteExpiredOAuthStates(db: Database, now: Date = new Date()): Promise<number> {
  const { count } = await db.oAuthState.deleteMany({ where: { expiresAt: { lt: now } } });
  return count;
}

/** A connection waiting for its starter's confirmation; token fields hold ciphertext only. */
export interface PendingConnectionData {
  /** SHA-256 hex of the one-time confirmation code. */
  codeHash: string;
  userId: string;
  provider: "microsoft" | "google";
  accessToken: string;
  refreshToken: string | null;
  tokenExpiresAt: Date | null;
  accountEmail: string | null;
  scope: string | null;
  expiresAt: Date;
}

export async function insertPendingConnection(db: Database, data: PendingConnectionData): Promise<void> {
  await db.pendingCalendarConnection.create({ data });
}

/**
 * Takes a pending connection out in one statement, whoever asks: a confirmation code is usable once,
 * so a refused attempt (someone else's session) burns it too.
 */
export async function consumePendingConnection(
  db: Database,
  codeHash: string,
): Promise<PendingConnectionData | null> {
  const rows = await db.$queryRaw<
    Array<{
      code_hash: string;
      user_id: string;
      provider: "microsoft" | "google";
      access_token: string;
      refresh_token: string | null;
      token_expires_at: Date | null;
      account_email: string | null;
      scope: string | null;
      expires_at: Date;
    }>
  >`DELETE FROM pending_calendar_connections WHERE code_hash = ${codeHash} RETURNING code_hash, user_id::text AS user_id, provider, access_token, refresh_token, token_expires_at, account_email, scope, expires_at`;
  const row = rows[0];
  if (!row) return null;
  return {
    codeHash: row.code_hash,
    userId: row.user_id,
    provider: row.provider,
    accessToken: row.access_token,
    refreshToken: row.refresh_token,
    tokenExpiresAt: row.token_expires_at,
    accountEmail: row.account_email,
    scope: row.scope,
    expiresAt: row.expires_at,
  };
}

/** Housekeeping beside deleteExpiredOAuthStates: unconfirmed connections are dropped once expired. */
export async function deleteExpiredPendingConnections(db: Database, now: Date = new Date()): Promise<number> {
  const { count } = await db.pendingCalendarConnection.deleteMany({ where: { expiresAt: { lt: now } } });
  return count;
}
