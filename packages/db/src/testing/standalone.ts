// A Postgres server owned by one test, which may stop it (to see the app fail) and start it again on
// the same port and data directory.
import { type EmbeddedPostgres, startEmbeddedPostgres } from "../embedded/index.js";
import { applyMigrations, type MigrationDirs } from "../migrate/index.js";
import { makeTempDataDir, removeDir } from "./temp-dir.js";

export interface StandalonePostgres {
  /** Connection string (default database "viewings"); stable across stop/start. */
  url(database?: string): string;
  readonly port: number;
  readonly dataDir: string;
  readonly running: boolean;
  /** Stops the server, keeping its data. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data directory. */
  start(): Promise<void>;
  /** Stops the server and deletes its data directory. */
  destroy(): Promise<void>;
}

export interface StandalonePostgresOptions extends MigrationDirs {
  /** Apply the migrations to the default database after the first start. Default true. */
  migrate?: boolean;
  /** Data directory to use (kept on destroy). Default: a fresh temp dir (deleted on destroy). */
  dataDir?: string;
}

export async function startStandalonePostgres(
  options: StandalonePostgresOptions = {},
): Promise<StandalonePostgres> {
  const ownsDir = !options.dataDir;
  const dataDir = options.dataDir ?? makeTempDataDir("viewings-standalone-pg-");
  let server: EmbeddedPostgres | undefined;
  try {
    server = await startEmbeddedPostgres({ dataDir, durability: "fast" });
    if (options.migrate ?? true) await applyMigrations(server.url(), options);
  } catch (error) {
    await server?.stop();
    if (ownsDir) removeDir(dataDir);
    throw error;
  }
  const port = server.port;
  let current: EmbeddedPostgres | undefined = server;
  const first = server;

  const stop = async () => {
    const running = current;
    current = undefined;
    await running?.stop();
  };

  return {
    url: (database?: string) => first.url(database),
    port,
    dataDir,
    get running() {
      return current !== undefined;
    },
    stop,
    async start() {
      if (current) return;
      current = await startEmbeddedPostgres({ dataDir, port, durability: "fast" });
    },
    async destroy() {
      await stop();
      if (ownsDir) removeDir(dataDir);
    },
  };
}
