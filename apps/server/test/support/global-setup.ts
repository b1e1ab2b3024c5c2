import { startTestDatabaseServer } from "@viewings/db/testing";

/** One real PostgreSQL for the whole run; each test file clones a fresh database from its migrated template. */
export default async function setup() {
  const server = await startTestDatabaseServer();
  return () => server.stop();
}
