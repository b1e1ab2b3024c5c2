// Test helpers, imported as "@viewings/db/testing".
export { ADMIN_URL_ENV, EXTERNAL_URL_ENV, TEMPLATE_DB_ENV } from "./env.js";
export {
  type StandalonePostgres,
  type StandalonePostgresOptions,
  startStandalonePostgres,
} from "./standalone.js";
export { createTestDatabase, type TestDatabase } from "./test-database.js";
export {
  startTestDatabaseServer,
  type TestDatabaseServer,
  type TestDatabaseServerOptions,
} from "./test-server.js";
