export type { Logger } from "./logger.js";
export { removeEmbeddedPostgresData } from "./remove-data.js";
export {
  EMBEDDED_DATABASE,
  type EmbeddedPostgres,
  type EmbeddedPostgresOptions,
  startEmbeddedPostgres,
} from "./start.js";
