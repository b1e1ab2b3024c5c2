// Well-known locations. This file lives in packages/db/src (or packages/db/dist once compiled).
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const packageRoot = path.resolve(here, "..");

/** Absolute path of the monorepo root (meaningless in a deployed copy of this package). */
export const repoRoot: string = path.resolve(packageRoot, "..", "..");

/**
 * The folder holding schema.prisma and migrations/. In the repository that is its prisma/ folder, the
 * one developers edit. A deployed copy of this package (`pnpm deploy`, the container image) has no
 * repository around it, so the build copies the folder into dist/prisma and that copy is used.
 */
const prismaDir: string = existsSync(path.join(repoRoot, "pnpm-workspace.yaml"))
  ? path.join(repoRoot, "prisma")
  : path.join(packageRoot, "dist", "prisma");

/** The Prisma schema, the single source of truth for the database shape. */
export const schemaPath: string = path.join(prismaDir, "schema.prisma");

/** Prisma's migrations folder (one `<timestamp>_<name>/migration.sql` per migration). */
export const migrationsDir: string = path.join(prismaDir, "migrations");

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
