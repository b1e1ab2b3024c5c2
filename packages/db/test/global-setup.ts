// One Postgres for the whole run with a migrated template; test files clone it via createTestDatabase().
import { startTestDatabaseServer } from "../src/testing/index.js";

export default async function setup(): Promise<() => Promise<void>> {
  const t0 = performance.now();
  const server = await startTestDatabaseServer();
  const { initdbMs, startMs, migrateMs } = server.timings;
  process.stderr.write(
    `[db tests] Postgres ready in ${Math.round(performance.now() - t0)} ms ` +
      `(initdb ${initdbMs} ms, start ${startMs} ms, migrate deploy ${migrateMs} ms)\n`,
  );
  return () => server.stop();
}
