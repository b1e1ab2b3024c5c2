// `prisma migrate deploy`: applies pending migrations under Prisma's advisory lock and records them in
// `_prisma_migrations` exactly as Prisma does (the engine writes the rows).
import { readMigrationList, readSchemaFiles } from "./migrations-folder.js";
import { type MigrationDirs, NO_FILTER, resolveDirs } from "./options.js";
import { withSchemaEngine } from "./wasm-engine.js";

/** Applies every migration not yet applied; returns the names applied now (empty when up to date). */
export async function applyMigrations(connectionString: string, dirs?: MigrationDirs): Promise<string[]> {
  const { migrationsDir, schemaPath } = resolveDirs(dirs);
  const migrationsList = await readMigrationList(migrationsDir);
  const schemaFiles = await readSchemaFiles(schemaPath);
  return withSchemaEngine(connectionString, schemaFiles, async (engine) => {
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: NO_FILTER });
    return appliedMigrationNames;
  });
}
