import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkDrift, createMigration } from "../src/migrate/index.js";
import { ADMIN_URL_ENV } from "../src/testing/index.js";
import { copyPrismaDirs } from "./helpers.js";

const url = () => process.env[ADMIN_URL_ENV] ?? "";
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function dirsWithExtraColumn() {
  const dirs = copyPrismaDirs();
  temps.push(dirs.root);
  const schema = fs.readFileSync(dirs.schemaPath, "utf8");
  fs.writeFileSync(
    dirs.schemaPath,
    schema.replace('@@map("users")', 'nickname String? @map("nickname") @db.VarChar(64)\n\n  @@map("users")'),
  );
  return dirs;
}

describe("checkDrift", () => {
  it("reports no drift for the real schema and migrations (with the hand-written CHECKs)", async () => {
    expect(await checkDrift(url())).toBe("");
  });

  it("returns the missing SQL when the schema changed without a migration", async () => {
    const sql = await checkDrift(url(), dirsWithExtraColumn());
    expect(sql).toMatch(/ALTER TABLE "users" ADD COLUMN\s+"nickname" VARCHAR\(64\)/);
  });
});

describe("createMigration", () => {
  it("writes <timestamp>_<name>/migration.sql for a schema change, then nothing once it is captured", async () => {
    const dirs = dirsWithExtraColumn();
    const before = fs.readdirSync(dirs.migrationsDir);
    const created = await createMigration(url(), "add_nickname", dirs);
    expect(created?.name).toMatch(/^\d{14}_add_nickname$/);
    const file = path.join(dirs.migrationsDir, created?.name ?? "", "migration.sql");
    expect(fs.readFileSync(file, "utf8")).toContain('ADD COLUMN     "nickname" VARCHAR(64)');
    expect(fs.readdirSync(dirs.migrationsDir)).toHaveLength(before.length + 1);

    expect(await createMigration(url(), "again", dirs)).toBeUndefined();
    expect(fs.readdirSync(dirs.migrationsDir)).toHaveLength(before.length + 1);
    expect(await checkDrift(url(), dirs)).toBe("");
  });

  it("writes nothing when the schema matches the migrations", async () => {
    const dirs = copyPrismaDirs();
    temps.push(dirs.root);
    const before = fs.readdirSync(dirs.migrationsDir);
    expect(await createMigration(url(), "nothing", dirs)).toBeUndefined();
    expect(fs.readdirSync(dirs.migrationsDir)).toEqual(before);
  });

  it("starts an empty folder with the lock file", async () => {
    const dirs = copyPrismaDirs();
    temps.push(dirs.root);
    fs.rmSync(dirs.migrationsDir, { recursive: true });
    const created = await createMigration(url(), "init", dirs);
    expect(created?.sql).toContain('CREATE TABLE "users"');
    expect(fs.readFileSync(path.join(dirs.migrationsDir, "migration_lock.toml"), "utf8")).toContain(
      'provider = "postgresql"',
    );
  });

  it("rejects names that are not safe folder names", async () => {
    await expect(createMigration(url(), "../escape")).rejects.toThrow(/invalid migration name/);
  });
});
