// Drift between the migrations folder and schema.prisma: the SQL that would have to be added as a
// migration (empty when they agree). The migrations are replayed on a shadow database.
import { readMigrationList, readSchemaFiles } from "./migrations-folder.js";
import { type MigrationDirs, NO_FILTER, resolveDirs } from "./options.js";
import { withSchemaEngine } from "./wasm-engine.js";

const EMPTY_SCRIPT = /^\s*(--[^\n]*\n\s*)*-- This is an empty migration\.\s*$/;

export async function checkDrift(connectionString: string, dirs?: MigrationDirs): Promise<string> {
  const { migrationsDir, schemaPath } = resolveDirs(dirs);
  const migrationsList = await readMigrationList(migrationsDir);
  const schemaFiles = await readSchemaFiles(schemaPath);
  return withSchemaEngine(connectionString, schemaFiles, async (engine) => {
    const result = await engine.diff({
      from: { tag: "migrations", ...migrationsList },
      to: { tag: "schemaDatamodel", files: schemaFiles.map(([path, content]) => ({ path, content })) },
      script: true,
      exitCode: true,
      filters: NO_FILTER,
    });
    const sql = (result.stdout ?? "").trim();
    return result.exitCode === 0 || EMPTY_SCRIPT.test(sql) ? "" : sql;
  });
}
