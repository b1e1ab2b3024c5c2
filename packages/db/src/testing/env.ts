// Environment variables through which globalSetup (main process) hands the test server to the
// worker processes that run the test files.
export const ADMIN_URL_ENV = "TEST_PG_ADMIN_URL";
export const TEMPLATE_DB_ENV = "TEST_PG_TEMPLATE_DB";
/** An existing server to use instead of an embedded one (needs CREATEDB). */
export const EXTERNAL_URL_ENV = "TEST_DATABASE_URL";
