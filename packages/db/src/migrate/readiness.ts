// What a readiness probe needs to know about the database: reachable now, and migrated to the shape
// this build expects. Checked on a fresh connection each time (a pooled one can look alive while the
// server is shutting down) and bounded by a short deadline.
import fs from "node:fs/promises";
import pg from "pg";
import { connectionConfig } from "./connection-config.js";
import { type MigrationDirs, resolveDirs } from "./options.js";
import { appliedMigrationNames } from "./status.js";

export type DatabaseReadiness = { ready: true } | { ready: false; reason: string };

async function shippedMigrationNames(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
}

export async function checkDatabaseReadiness(
  connectionString: string,
  options: { timeoutMs: number; dirs?: MigrationDirs },
): Promise<DatabaseReadiness> {
  const client = new pg.Client({
    ...connectionConfig(connectionString),
    connectionTimeoutMillis: options.timeoutMs,
    query_timeout: options.timeoutMs,
  });
  // A dropped connection emits "error" outside any pending query; without a listener it would crash.
  client.on("error", () => {});
  let applied: string[];
  try {
    await client.connect();
    applied = await appliedMigrationNames(client);
  } catch (error) {
    const detail = (error as { code?: string }).code ?? (error as Error).message;
    return { ready: false, reason: `database unreachable (${detail})` };
  } finally {
    await client.end().catch(() => {});
  }
  const shipped = await shippedMigrationNames(resolveDirs(options.dirs).migrationsDir);
  const pending = shipped.filter((name) => !applied.includes(name));
  if (pending.length === 0) return { ready: true };
  return {
    ready: false,
    reason: `${pending.length} migration(s) pending: ${pending.join(", ")} (run the migrate command or set MIGRATE_ON_START=true)`,
  };
}
