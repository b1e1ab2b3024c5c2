import { migrationsDir as defaultMigrationsDir, schemaPath as defaultSchemaPath } from "../paths.js";

export interface MigrationDirs {
  /** Prisma migrations folder. Default: prisma/migrations in the repository. */
  migrationsDir?: string;
  /** Prisma schema file. Default: prisma/schema.prisma in the repository. */
  schemaPath?: string;
}

export function resolveDirs(dirs: MigrationDirs = {}): Required<MigrationDirs> {
  return {
    migrationsDir: dirs.migrationsDir ?? defaultMigrationsDir,
    schemaPath: dirs.schemaPath ?? defaultSchemaPath,
  };
}

export const NO_FILTER = { externalTables: [], externalEnums: [] };
