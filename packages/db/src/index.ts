export { createDatabase, type Database, type DatabaseOptions, isDatabaseReachable } from "./client.js";
export * from "./embedded/index.js";
export { violatedUniqueConstraint } from "./errors.js";
export * from "./migrate/index.js";
export { defaultDataDir, migrationsDir, repoRoot, schemaPath } from "./paths.js";
export * from "./repositories/users.js";
