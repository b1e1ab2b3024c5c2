// `prisma migrate status`: which migrations are applied, pending or failed on a database.
import pg from "pg";
import { connectionConfig } from "./connection-config.js";
import { readMigrationList, readSchemaFiles } from "./migrations-folder.js";
import { type MigrationDirs, NO_FILTER, resolveDirs } from "./options.js";
import { withSchemaEngine } from "./wasm-engine.js";

export interface MigrationStatus {
  /** Applied successfully, in the order they were applied. */
  applied: string[];
  /** In the folder but not applied yet. */
  pending: string[];
  /** Started and failed (blocks further deploys until resolved). */
  failed: string[];
  /** Applied, but the file changed since (checksum mismatch). */
  edited: string[];
  /** Applied to the database but missing from the folder. */
  unknown: string[];
}

/** Names of the migrations recorded as applied (none when the table does not exist yet). */
export async function appliedMigrationNames(client: pg.Client): Promise<string[]> {
  const table = await client.query<{ t: string | null }>(
    "SELECT to_regclass('_prisma_migrations')::text AS t",
  );
  if (!table.rows[0]?.t) return [];
  const rows = await client.query<{ migration_name: string }>(
    `SELECT migration_name FROM _prisma_migrations
      WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL
      ORDER BY started_at, migration_name`,
  );
  return rows.rows.map((row) => row.migration_name);
}

async function appliedNames(connectionString: string): Promise<string[]> {
  const client = new pg.Client(connectionConfig(connectionString));
  await client.connect();
  try {
    return await appliedMigrationNames(client);
  } finally {
    await client.end();
  }
}

export async function migrationStatus(
  connectionString: string,
  dirs?: MigrationDirs,
): Promise<MigrationStatus> {
  const { migrationsDir, schemaPath } = resolveDirs(dirs);
  const migrationsList = await readMigrationList(migrationsDir);
  const schemaFiles = await readSchemaFiles(schemaPath);
  const diagnosis = await withSchemaEngine(connectionString, schemaFiles, (engine) =>
    engine.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters: NO_FILTER }),
  );
  const applied = await appliedNames(connectionString);
  const onDisk = migrationsList.migrationDirectories.map((dir) => dir.path);
  const failed = diagnosis.failedMigrationNames;
  return {
    applied,
    pending: onDisk.filter((name) => !applied.includes(name) && !failed.includes(name)),
    failed,
    edited: diagnosis.editedMigrationNames,
    unknown: applied.filter((name) => !onDisk.includes(name)),
  };
}
