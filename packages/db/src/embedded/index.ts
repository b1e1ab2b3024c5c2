// Imported as "@viewings/db/embedded": development and test PostgreSQL. Its packages are dev
// dependencies, absent from production installs, so only import this when DATABASE_URL is unset.

export { isEmbeddedPostgresInstalled } from "./installed.js";
export type { Logger } from "./logger.js";
export { removeEmbeddedPostgresData } from "./remove-data.js";
export {
  EMBEDDED_DATABASE,
  type EmbeddedPostgres,
  type EmbeddedPostgresOptions,
  startEmbeddedPostgres,
} from "./start.js";
