#!/usr/bin/env node
// Prisma-compatible migration commands without Prisma's native engine:
//   node dist/cli/migrate.js deploy | create --name <name> | status | drift
// Uses DATABASE_URL when set; otherwise starts the embedded Postgres on DATA_DIR (default: <repo>/.data)
// for the duration of the command. Production images run `deploy` with DATABASE_URL and have no
// embedded Postgres installed, so it is only loaded when needed.
import type { EmbeddedPostgres } from "../embedded/index.js";
import {
  applyMigrations,
  checkDrift,
  createMigration,
  MigrationError,
  migrationStatus,
} from "../migrate/index.js";

const USAGE = "usage: migrate.js deploy | create --name <name> | status | drift";

class UsageError extends Error {}

function optionValue(args: string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg === `--${name}`) return args[i + 1];
    if (arg.startsWith(`--${name}=`)) return arg.slice(name.length + 3);
  }
  return undefined;
}

const say = (line: string) => process.stdout.write(`${line}\n`);
const note = (line: string) => process.stderr.write(`${line}\n`);

async function withDatabase<T>(run: (url: string) => Promise<T>): Promise<T> {
  const fromEnv = process.env.DATABASE_URL;
  if (fromEnv) return run(fromEnv);
  let server: EmbeddedPostgres | undefined;
  try {
    const { startEmbeddedPostgres } = await import("../embedded/index.js");
    server = await startEmbeddedPostgres({
      dataDir: process.env.DATA_DIR || undefined,
      logger: { info: () => {}, warn: (message) => note(`warning: ${message}`) },
    });
    note(`DATABASE_URL not set: using the embedded Postgres in ${server.clusterDir}`);
    return await run(server.url());
  } finally {
    await server?.stop();
  }
}

async function main(args: string[]): Promise<number> {
  const command = args[0];
  switch (command) {
    case "deploy":
      return withDatabase(async (url) => {
        const applied = await applyMigrations(url);
        say(
          applied.length
            ? `Applied ${applied.length} migration(s): ${applied.join(", ")}`
            : "No pending migrations.",
        );
        return 0;
      });
    case "create": {
      const name = optionValue(args, "name");
      if (!name) throw new UsageError("create needs --name <name>");
      return withDatabase(async (url) => {
        const created = await createMigration(url, name);
        say(created ? `Created ${created.folder}/migration.sql` : "No schema changes: nothing written.");
        return 0;
      });
    }
    case "status":
      return withDatabase(async (url) => {
        const status = await migrationStatus(url);
        say(`applied: ${status.applied.length ? status.applied.join(", ") : "(none)"}`);
        say(`pending: ${status.pending.length ? status.pending.join(", ") : "(none)"}`);
        if (status.failed.length) say(`failed: ${status.failed.join(", ")}`);
        if (status.edited.length) say(`edited after being applied: ${status.edited.join(", ")}`);
        if (status.unknown.length) say(`applied but missing from the folder: ${status.unknown.join(", ")}`);
        const clean = [status.pending, status.failed, status.edited, status.unknown].every(
          (list) => !list.length,
        );
        say(clean ? "Database schema is up to date." : "Database schema is not up to date.");
        return clean ? 0 : 1;
      });
    case "drift":
      return withDatabase(async (url) => {
        const sql = await checkDrift(url);
        if (!sql) {
          say("No drift: prisma/schema.prisma matches prisma/migrations.");
          return 0;
        }
        note("Drift: prisma/schema.prisma differs from prisma/migrations. Missing migration SQL:");
        say(sql);
        note("Create it with: pnpm db:migrate:create --name <name>");
        return 1;
      });
    default:
      throw new UsageError(command ? `unknown command "${command}"` : "missing command");
  }
}

function describe(error: unknown): string {
  if (error instanceof UsageError) return `${error.message}\n${USAGE}`;
  if (error instanceof MigrationError) return error.message.replace(/\s*\n\s*/g, " ");
  const code = (error as { code?: string } | null)?.code;
  if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "28P01" || code === "3D000") {
    return `cannot connect to the database (${code}): ${(error as Error).message}`;
  }
  return error instanceof Error ? error.message : String(error);
}

// Exit as soon as the command is done: idle pool connections would otherwise keep a migration job
// (a container's one-shot step) alive for another ~10 s.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    note(`error: ${describe(error)}`);
    if (process.env.DEBUG && error instanceof Error && error.stack) note(error.stack);
    process.exit(1);
  },
);
