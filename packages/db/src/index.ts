// The client and data access. Heavier parts live behind subpaths: "@viewings/db/migrate" (migration
// engine), "@viewings/db/embedded" (development PostgreSQL, absent from production installs) and
// "@viewings/db/testing".
export { createDatabase, type Database, type DatabaseOptions, type PoolState, poolState } from "./client.js";
export { isDatabaseUnavailable } from "./connection-errors.js";
export { envFilePath, loadEnvFile } from "./env-file.js";
export { violatedUniqueConstraint } from "./errors.js";
export { defaultDataDir, repoRoot } from "./paths.js";
export * from "./repositories/agents.js";
export * from "./repositories/appointments.js";
export * from "./repositories/bookings.js";
export * from "./repositories/calendar-connections.js";
export * from "./repositories/clerk-deliveries.js";
export * from "./repositories/clerk-sync.js";
export * from "./repositories/oauth-states.js";
export * from "./repositories/users.js";
export * from "./repositories/voice-calls.js";
