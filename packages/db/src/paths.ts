// Well-known locations in the repository. This file lives in packages/db/src (or packages/db/dist once
// compiled), so the repository root is three levels up in both cases.
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));

/** Absolute path of the monorepo root. */
export const repoRoot: string = path.resolve(here, "..", "..", "..");

/** The Prisma schema, the single source of truth for the database shape. */
export const schemaPath: string = path.join(repoRoot, "prisma", "schema.prisma");

/** Prisma's migrations folder (one `<timestamp>_<name>/migration.sql` per migration). */
export const migrationsDir: string = path.join(repoRoot, "prisma", "migrations");

/** Where the embedded Postgres keeps its cluster unless DATA_DIR says otherwise (gitignored). */
export const defaultDataDir: string = path.join(repoRoot, ".data");

/**
 * The directory holding the embedded Postgres cluster for a given data directory setting.
 * `dataDir` is the server's DATA_DIR config (or undefined for the default); the cluster lives in a
 * `postgres` subfolder so the data directory can hold other things too.
 */
export function postgresDataDir(dataDir?: string): string {
  return path.join(path.resolve(dataDir ?? defaultDataDir), "postgres");
}
