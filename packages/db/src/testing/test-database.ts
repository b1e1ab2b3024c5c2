// A fresh, migrated database per test file, cloned from the template made by startTestDatabaseServer().
// Works in worker processes: everything needed comes from environment variables.
import { randomBytes } from "node:crypto";
import { withDatabase } from "../migrate/connection-config.js";
import { adminQuery, quoteIdent } from "./admin.js";
import { ADMIN_URL_ENV, TEMPLATE_DB_ENV } from "./env.js";

export interface TestDatabase {
  url: string;
  name: string;
  /** Milliseconds CREATE DATABASE ... TEMPLATE took. */
  createMs: number;
  /** Drops the database, terminating connections still open to it. */
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env[ADMIN_URL_ENV];
  const template = process.env[TEMPLATE_DB_ENV];
  if (!adminUrl || !template) {
    throw new Error(
      `${ADMIN_URL_ENV}/${TEMPLATE_DB_ENV} are not set: add a vitest globalSetup that calls startTestDatabaseServer()`,
    );
  }
  const name = `viewings_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  const t0 = performance.now();
  for (let attempt = 0; ; attempt++) {
    try {
      await adminQuery(adminUrl, `CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(template)}`);
      break;
    } catch (error) {
      // 55006: the template is briefly in use (e.g. another clone's connection); retry.
      if ((error as { code?: string }).code !== "55006" || attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * (attempt + 1)));
    }
  }
  const createMs = Math.round(performance.now() - t0);
  let dropped: Promise<void> | undefined;
  return {
    url: withDatabase(adminUrl, name),
    name,
    createMs,
    drop: () => {
      dropped ??= adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
      return dropped;
    },
  };
}
