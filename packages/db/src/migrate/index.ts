// Imported as "@viewings/db/migrate": Prisma's migration engine (WebAssembly) over the driver adapter.
export { applyMigrations } from "./apply.js";
export { type CreatedMigration, createMigration } from "./create.js";
export { checkDrift } from "./drift.js";
export { MigrationError } from "./errors.js";
export type { MigrationDirs } from "./options.js";
export { checkDatabaseReadiness, type DatabaseReadiness } from "./readiness.js";
export { type MigrationStatus, migrationStatus } from "./status.js";
