import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { withDatabase } from "../src/migrate/connection-config.js";
import { migrationsDir, schemaPath } from "../src/paths.js";
import { ADMIN_URL_ENV } from "../src/testing/index.js";

function adminUrl(): string {
  const url = process.env[ADMIN_URL_ENV];
  if (!url) throw new Error(`${ADMIN_URL_ENV} is not set (globalSetup missing?)`);
  return url;
}

export async function query<T extends pg.QueryResultRow>(url: string, sql: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query<T>(sql, values);
  } finally {
    await client.end();
  }
}

/** A brand-new database with nothing in it (not cloned from the migrated template). */
export async function createEmptyDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `empty_${randomBytes(5).toString("hex")}`;
  await query(adminUrl(), `CREATE DATABASE "${name}"`);
  return {
    url: withDatabase(adminUrl(), name),
    drop: async () => {
      await query(adminUrl(), `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

/** Temp copies of schema.prisma and the migrations folder, so tests never touch the real ones. */
export function copyPrismaDirs(): { schemaPath: string; migrationsDir: string; root: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "viewings-prisma-"));
  const copy = {
    root,
    schemaPath: path.join(root, "schema.prisma"),
    migrationsDir: path.join(root, "migrations"),
  };
  fs.copyFileSync(schemaPath, copy.schemaPath);
  fs.cpSync(migrationsDir, copy.migrationsDir, { recursive: true });
  return copy;
}

export function realMigrationNames(): string[] {
  return fs
    .readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}
