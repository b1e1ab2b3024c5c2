/**
 * `pnpm dev`: one PostgreSQL and one calendar sandbox for the whole run; every package recompiles on
 * change (tsc --watch) and only the Node server restarts, with one line per restart. A type error is
 * reported and the server keeps running the last good build. Ctrl-C stops everything quietly.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defaultDataDir, loadEnvFile } from "@viewings/db";
import { startEmbeddedPostgres } from "@viewings/db/embedded";
import { applyMigrations } from "@viewings/db/migrate";
import { withCalendarSandbox } from "../calendar-sandbox.js";
import { ConfigError } from "../env.js";
import { runtimeWorkspace, watchCompilation } from "./compile-watchers.js";
import { serverChild } from "./server-child.js";

const say = (line: string) => process.stdout.write(`[dev] ${line}\n`);
const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/** DATABASE_URL as given, or the embedded PostgreSQL, started once and migrated. */
async function openDatabase(databaseUrl: string | undefined, dataDir: string) {
  if (databaseUrl) return { url: databaseUrl, stop: async () => {} };
  const embedded = await startEmbeddedPostgres({ dataDir, handleSignals: false });
  const pid = fs.readFileSync(path.join(embedded.clusterDir, "postmaster.pid"), "utf8").split("\n")[0];
  say(`PostgreSQL pid ${pid} on port ${embedded.port} (data in ${dataDir}), kept until Ctrl-C`);
  return { url: embedded.url(), stop: () => embedded.stop() };
}

async function main() {
  loadEnvFile();
  const prepared = await withCalendarSandbox().catch((error: unknown) => {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  });
  const { env, sandbox } = prepared;
  if (sandbox) say(`calendar sandbox at ${sandbox.url}, kept until Ctrl-C`);
  const database = await openDatabase(env.DATABASE_URL, env.DATA_DIR ?? defaultDataDir);
  await applyMigrations(database.url);

  const server = serverChild(
    {
      ...process.env,
      ...sandbox?.env,
      DATABASE_URL: database.url,
      // Its output goes through this process: keep it readable (and coloured at a terminal).
      LOG_FORMAT: process.env.LOG_FORMAT || "pretty",
      ...(process.stdout.isTTY ? { FORCE_COLOR: "1" } : {}),
    },
    say,
  );
  server.start();

  const changed = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  // One restart at a time: changes arriving during one are picked up by the next.
  let restarting = Promise.resolve();
  const restart = async () => {
    const reason = [...changed].join(", ");
    changed.clear();
    try {
      await applyMigrations(database.url);
    } catch (error) {
      say(`migrations failed: ${(error as Error).message}`);
    }
    await server.restart(`${reason} changed`);
  };
  const restartSoon = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (watchers.busy()) return restartSoon();
      restarting = restarting.then(restart);
    }, 300);
  };
  const packages = runtimeWorkspace(serverDir);
  const watchers = watchCompilation(packages, {
    ready: () => say(`watching ${packages.map((pkg) => pkg.name).join(", ")} for changes`),
    compiled(pkg, errors) {
      if (errors.length === 0) {
        changed.add(pkg.name);
        return restartSoon();
      }
      say(`type errors in ${pkg.name}; the server keeps running the last good build:`);
      for (const line of errors) process.stdout.write(`      ${line}\n`);
    },
  });

  // Also on a crash of this process: the watchers and the server live in their own process groups.
  process.once("exit", () => {
    watchers.stop();
    server.kill();
  });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    clearTimeout(timer);
    watchers.stop();
    await server.shutdown();
    await sandbox?.close();
    await database.stop();
    say("stopped");
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
