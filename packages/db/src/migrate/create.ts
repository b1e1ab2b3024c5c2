// `prisma migrate dev --create-only`: writes prisma/migrations/<timestamp>_<name>/migration.sql with
// the SQL that takes the migrations' schema (replayed on a shadow database) to schema.prisma.
// The engine only computes the shadow schema (in devDiagnostic) when its main database is in sync with
// the folder, so the work happens on a scratch database that gets the migrations first: the result
// never depends on, and never changes, the database the connection string names.
import { MigrationError } from "./errors.js";
import { readMigrationList, readSchemaFiles, writeMigration } from "./migrations-folder.js";
import { type MigrationDirs, NO_FILTER, resolveDirs } from "./options.js";
import { withScratchDatabase } from "./scratch-database.js";
import { withSchemaEngine } from "./wasm-engine.js";

export interface CreatedMigration {
  /** Folder name, e.g. 20260101120000_add_x. */
  name: string;
  /** Absolute path of the new folder. */
  folder: string;
  sql: string;
}

/** Creates a migration for the pending schema changes; returns undefined (writes nothing) when there are none. */
export async function createMigration(
  connectionString: string,
  name: string,
  dirs?: MigrationDirs,
): Promise<CreatedMigration | undefined> {
  if (!/^[A-Za-z0-9_-]+$/.test(name)) {
    throw new MigrationError(`invalid migration name "${name}": use letters, digits, "_" and "-"`);
  }
  const { migrationsDir, schemaPath } = resolveDirs(dirs);
  const migrationsList = await readMigrationList(migrationsDir);
  const schemaFiles = await readSchemaFiles(schemaPath);
  return withScratchDatabase(connectionString, (scratchUrl) =>
    withSchemaEngine(scratchUrl, schemaFiles, async (engine) => {
      await engine.applyMigrations({ migrationsList, filters: NO_FILTER });
      // createMigration relies on the shadow schema that devDiagnostic computes and caches.
      await engine.devDiagnostic({ migrationsList, filters: NO_FILTER });
      const output = await engine.createMigration({
        draft: false,
        migrationName: name,
        migrationsList,
        schema: { files: schemaFiles.map(([path, content]) => ({ path, content })) },
        filters: NO_FILTER,
      });
      if (output.migrationScript === null) return undefined;
      const folder = await writeMigration(
        migrationsList,
        output.generatedMigrationName,
        output.extension,
        output.migrationScript,
        output.connectorType,
      );
      return { name: output.generatedMigrationName, folder, sql: output.migrationScript };
    }),
  );
}
