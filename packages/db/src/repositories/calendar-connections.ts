import type { Database } from "../client.js";
import type { Prisma, UserCalendarConnection } from "../generated/prisma/client.js";

export type CalendarConnectionRow = UserCalendarConnection;
export type CalendarProviderName = "microsoft" | "google";
/** A client usable inside an interactive transaction. */
export type DatabaseTransaction = Prisma.TransactionClient;

/** What a connection stores. Token fields hold ciphertext only; this layer never sees plaintext. */
export interface CalendarConnectionData {
  userId: string;
  provider: CalendarProviderName;
  accessToken: string;
  refreshToken: string | null;
  expiresAt: Date | null;
  accountEmail: string | null;
  scope: string | null;
}

export interface CalendarTokenUpdate {
  accessToken: string;
  refreshToken: string | null;
  expiresAt: Date | null;
  scope?: string | null;
}

const flagColumn = {
  microsoft: "microsoftCalendarConnected",
  google: "googleCalendarConnected",
} as const satisfies Record<CalendarProviderName, string>;

function flagUpdate(provider: CalendarProviderName, connected: boolean) {
  return { [flagColumn[provider]]: connected };
}

export function findCalendarConnection(
  db: Database | DatabaseTransaction,
  userId: string,
  provider: CalendarProviderName,
): Promise<CalendarConnectionRow | null> {
  return db.userCalendarConnection.findUnique({ where: { userId_provider: { userId, provider } } });
}

export function listCalendarConnections(db: Database, userId: string): Promise<CalendarConnectionRow[]> {
  return db.userCalendarConnection.findMany({ where: { userId } });
}

/**
 * Stores (or replaces) a user's connection and sets their connected flag in one transaction, so the
 * flag never claims a connection that is not there. A reconnect clears needs_reconnect.
 */
export async function saveCalendarConnection(
  db: Database,
  data: CalendarConnectionData,
): Promise<CalendarConnectionRow> {
  const { userId, provider, ...fields } = data;
  const [row] = await db.$transaction([
    db.userCalendarConnection.upsert({
      where: { userId_provider: { userId, provider } },
      create: { userId, provider, ...fields },
      update: { ...fields, needsReconnect: false },
    }),
    db.user.update({ where: { id: userId }, data: flagUpdate(provider, true) }),
  ]);
  return row;
}

/** Sets the user's flag to match whether a connection row exists; returns whether one does. */
export async function syncCalendarFlag(
  db: Database,
  userId: string,
  provider: CalendarProviderName,
): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const exists = (await findCalendarConnection(tx, userId, provider)) !== null;
    await tx.user.update({ where: { id: userId }, data: flagUpdate(provider, exists) });
    return exists;
  });
}

/**
 * Deletes the connection and clears the flag in one transaction. Returns the deleted row (its token
 * ciphertexts, for a best-effort revoke at the provider) or null when there was none.
 */
export async function deleteCalendarConnection(
  db: Database,
  userId: string,
  provider: CalendarProviderName,
): Promise<CalendarConnectionRow | null> {
  return db.$transaction(async (tx) => {
    const existing = await tx.userCalendarConnection.findUnique({
      where: { userId_provider: { userId, provider } },
    });
    if (existing) await tx.userCalendarConnection.deleteMany({ where: { id: existing.id } });
    await tx.user.update({ where: { id: userId }, data: flagUpdate(provider, false) });
    return existing;
  });
}

/**
 * Runs `work` in a transaction holding the connection's row lock (SELECT ... FOR UPDATE), handing it
 * the row as read under the lock, so concurrent refreshes in other processes wait and then see the
 * result. `timeoutMs` must cover the provider round trip made while the lock is held.
 */
export async function withLockedCalendarConnection<T>(
  db: Database,
  userId: string,
  provider: CalendarProviderName,
  timeoutMs: number,
  work: (tx: DatabaseTransaction, row: CalendarConnectionRow | null) => Promise<T>,
): Promise<T> {
  return db.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT 1 FROM user_calendar_connections WHERE user_id = ${userId}::uuid AND provider = ${provider} FOR UPDATE`;
      return work(tx, await findCalendarConnection(tx, userId, provider));
    },
    { timeout: timeoutMs, maxWait: timeoutMs },
  );
}

export function updateCalendarTokens(
  db: Database | DatabaseTransaction,
  id: string,
  update: CalendarTokenUpdate,
): Promise<CalendarConnectionRow> {
  return db.userCalendarConnection.update({ where: { id }, data: { ...update, needsReconnect: false } });
}

/**
 * Writes ciphertexts re-encrypted under the current key, only if the row still holds the ones that
 * were read (a concurrent refresh wins). Returns whether the row was updated.
 */
export async function replaceCalendarCiphertexts(
  db: Database,
  id: string,
  expected: { accessToken: string; refreshToken: string | null },
  replacement: { accessToken: string; refreshToken: string | null },
): Promise<boolean> {
  const { count } = await db.userCalendarConnection.updateMany({
    where: { id, accessToken: expected.accessToken, refreshToken: expected.refreshToken },
    data: replacement,
  });
  return count === 1;
}

export async function markCalendarNeedsReconnect(
  db: Database | DatabaseTransaction,
  id: string,
): Promise<void> {
  await db.userCalendarConnection.updateMany({ where: { id }, data: { needsReconnect: true } });
}
