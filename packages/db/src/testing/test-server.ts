// For a vitest globalSetup: one Postgres per test run (embedded in a temp dir, or TEST_DATABASE_URL)
// holding a migrated template database that createTestDatabase() clones for each test file.
import { randomBytes } from "node:crypto";
import { startEmbeddedPostgres } from "../embedded/index.js";
import { withDatabase } from "../migrate/connection-config.js";
import { applyMigrations, type MigrationDirs } from "../migrate/index.js";
import { adminQuery, quoteIdent } from "./admin.js";
import { ADMIN_URL_ENV, EXTERNAL_URL_ENV, TEMPLATE_DB_ENV } from "./env.js";
import { makeTempDataDir, removeDir } from "./temp-dir.js";

export interface TestDatabaseServer {
  /** Superuser-ish URL of the server's maintenance database. */
  adminUrl: string;
  /** Name of the migrated template database. */
  templateDatabase: string;
  timings: { initdbMs: number; startMs: number; migrateMs: number };
  /** Drops the template (external server) or stops and deletes the embedded server. */
  stop(): Promise<void>;
}

export interface TestDatabaseServerOptions extends MigrationDirs {
  /** Use this server instead of starting one. Default: process.env.TEST_DATABASE_URL. */
  externalUrl?: string;
}

/**
 * Starts the per-run server, migrates a template database and publishes both through
 * TEST_PG_ADMIN_URL / TEST_PG_TEMPLATE_DB for the test workers.
 */
export async function startTestDatabaseServer(
  options: TestDatabaseServerOptions = {},
): Promise<TestDatabaseServer> {
  const externalUrl = options.externalUrl ?? (process.env[EXTERNAL_URL_ENV] || undefined);
  const templateDatabase = `viewings_template_${process.pid}_${randomBytes(3).toString("hex")}`;
  let adminUrl: string;
  let shutdown: () => Promise<void>;
  let initdbMs = 0;
  let startMs = 0;

  if (externalUrl) {
    adminUrl = withDatabase(externalUrl, "postgres");
    shutdown = async () => {
      await adminQuery(
        adminUrl,
        `ALTER DATABASE ${quoteIdent(templateDatabase)} WITH IS_TEMPLATE false`,
      ).catch(() => {});
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${quoteIdent(templateDatabase)} WITH (FORCE)`);
    };
  } else {
    const dataDir = makeTempDataDir("viewings-test-pg-");
    const server = await startEmbeddedPostgres({ dataDir, database: "postgres", durability: "fast" }).catch(
      (error: unknown) => {
        removeDir(dataDir);
        throw error;
      },
    );
    adminUrl = server.url("postgres");
    ({ initdbMs, startMs } = server.timings);
    shutdown = async () => {
      await server.stop();
      removeDir(dataDir);
    };
  }

  try {
    await adminQuery(adminUrl, `CREATE DATABASE ${quoteIdent(templateDatabase)}`);
    const t0 = performance.now();
    await applyMigrations(withDatabase(adminUrl, templateDatabase), options);
    const migrateMs = Math.round(performance.now() - t0);
    // No connections to the template from now on: CREATE DATABASE ... TEMPLATE needs it idle.
    await adminQuery(
      adminUrl,
      `ALTER DATABASE ${quoteIdent(templateDatabase)} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`,
    );
    process.env[ADMIN_URL_ENV] = adminUrl;
    process.env[TEMPLATE_DB_ENV] = templateDatabase;
    return {
      adminUrl,
      templateDatabase,
      timings: { initdbMs, startMs, migrateMs },
      stop: async () => {
        delete process.env[ADMIN_URL_ENV];
        delete process.env[TEMPLATE_DB_ENV];
        await shutdown();
      },
    };
  } catch (error) {
    await shutdown().catch(() => {});
    throw error;
  }
}
