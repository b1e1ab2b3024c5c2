import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations, migrationStatus } from "../src/migrate/index.js";
import { migrationsDir } from "../src/paths.js";
import { createTestDatabase, type TestDatabase } from "../src/testing/index.js";
import { copyPrismaDirs, createEmptyDatabase, query, realMigrationNames } from "./helpers.js";

describe("applyMigrations (migrate deploy)", () => {
  let db: { url: string; drop(): Promise<void> };
  beforeAll(async () => {
    db = await createEmptyDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it("applies every migration to an empty database, then re-applying is a no-op", async () => {
    const t0 = performance.now();
    const applied = await applyMigrations(db.url);
    const firstMs = Math.round(performance.now() - t0);
    expect(applied).toEqual(realMigrationNames());
    const t1 = performance.now();
    expect(await applyMigrations(db.url)).toEqual([]);
    process.stderr.write(
      `[db tests] migrate deploy: ${firstMs} ms, re-deploy: ${Math.round(performance.now() - t1)} ms\n`,
    );

    const status = await migrationStatus(db.url);
    expect(status).toEqual({
      applied: realMigrationNames(),
      pending: [],
      failed: [],
      edited: [],
      unknown: [],
    });
  });

  it("records _prisma_migrations rows the way Prisma does", async () => {
    const { rows } = await query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      rolled_back_at: Date | null;
      logs: string | null;
      applied_steps_count: number;
      id: string;
    }>(db.url, "SELECT * FROM _prisma_migrations ORDER BY migration_name");
    expect(rows.map((row) => row.migration_name)).toEqual(realMigrationNames());
    for (const row of rows) {
      const sql = fs.readFileSync(path.join(migrationsDir, row.migration_name, "migration.sql"));
      expect(row.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.logs).toBeNull();
      expect(row.applied_steps_count).toBe(1);
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("enforces the hand-written CHECK constraints", async () => {
    await expect(
      query(db.url, "INSERT INTO users (clerk_user_id, email) VALUES ('user_1', 'Mixed@Example.com')"),
    ).rejects.toThrow(/users_email_lower_case_check/);
    const { rows } = await query<{ id: string }>(
      db.url,
      "INSERT INTO users (clerk_user_id, email) VALUES ('user_1', 'a@example.com') RETURNING id",
    );
    await expect(
      query(
        db.url,
        "INSERT INTO user_calendar_connections (user_id, provider, access_token) VALUES ($1, 'yahoo', 't')",
        [rows[0]?.id],
      ),
    ).rejects.toThrow(/user_calendar_connections_provider_check/);
  });

  it("serialises concurrent deploys on the advisory lock", async () => {
    const fresh = await createEmptyDatabase();
    try {
      const results = await Promise.all([applyMigrations(fresh.url), applyMigrations(fresh.url)]);
      expect(results.flat()).toEqual(realMigrationNames());
    } finally {
      await fresh.drop();
    }
  });
});

describe("migration scripts run as a whole", () => {
  it("applies $$-bodies intact and leaves nothing half-applied when a statement fails", async () => {
    const dirs = copyPrismaDirs();
    const fresh = await createEmptyDatabase();
    try {
      const fn = path.join(dirs.migrationsDir, "29990101000000_function");
      fs.mkdirSync(fn);
      fs.writeFileSync(
        path.join(fn, "migration.sql"),
        "CREATE FUNCTION shout(t text) RETURNS text LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN upper(t) || '!';\nEND;\n$$;\n",
      );
      await applyMigrations(fresh.url, dirs);
      const { rows } = await query<{ s: string }>(fresh.url, "SELECT shout('hi') AS s");
      expect(rows[0]?.s).toBe("HI!");

      const bad = path.join(dirs.migrationsDir, "29990102000000_broken");
      fs.mkdirSync(bad);
      fs.writeFileSync(
        path.join(bad, "migration.sql"),
        "CREATE TABLE half (id int);\nSELECT no_such_function();\n",
      );
      await expect(applyMigrations(fresh.url, dirs)).rejects.toThrow(/no_such_function/);
      const half = await query<{ t: string | null }>(fresh.url, "SELECT to_regclass('half')::text AS t");
      expect(half.rows[0]?.t).toBeNull();
      expect((await migrationStatus(fresh.url, dirs)).failed).toEqual(["29990102000000_broken"]);
    } finally {
      await fresh.drop();
      fs.rmSync(dirs.root, { recursive: true, force: true });
    }
  });
});

describe("createTestDatabase", () => {
  let db: TestDatabase;
  afterAll(async () => {
    await db?.drop();
  });

  it("clones the migrated template", async () => {
    db = await createTestDatabase();
    process.stderr.write(`[db tests] CREATE DATABASE ... TEMPLATE: ${db.createMs} ms\n`);
    const { rows } = await query<{ n: string }>(db.url, "SELECT count(*)::text AS n FROM _prisma_migrations");
    expect(Number(rows[0]?.n)).toBe(realMigrationNames().length);
    await db.drop();
    await expect(query(db.url, "SELECT 1")).rejects.toThrow(/does not exist/);
  });
});
