import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createServices } from "@viewings/api";
import { createDatabase } from "@viewings/db";
import { applyMigrations } from "@viewings/db/migrate";
import pg from "pg";
import { createApp } from "./app.js";
import { createClerkProfileSource } from "./auth/clerk-profiles.js";
import { createServiceKeyMatcher } from "./auth/service-keys.js";
import { createCalendarDependencies } from "./config/calendar-dependencies.js";
import type { ServerConfig } from "./config.js";
import type { Logger } from "./logger.js";
import { createMetrics } from "./metrics/metrics.js";
import { metricsApp } from "./metrics/metrics-routes.js";
import { observeProviders } from "./metrics/provider-metrics.js";
import { createRateLimits } from "./security/rate-limits.js";
import { startWebhookRecordPruning } from "./webhooks/prune-schedule.js";

export interface RunningServer {
  url: string;
  port: number;
  /** Stops accepting connections, lets in-flight requests finish, then releases the database. */
  close(): Promise<void>;
}

/** The embedded PostgreSQL's packages are development dependencies: a production install has none. */
async function loadEmbeddedPostgres() {
  const embedded = await import("@viewings/db/embedded");
  if (!embedded.isEmbeddedPostgresInstalled()) {
    throw new Error(
      "DATABASE_URL is not set and this installation has no embedded PostgreSQL (production installs leave it out): set DATABASE_URL",
    );
  }
  return embedded;
}

/** The launcher's events as JSON log lines, like everything else this process writes. */
function embeddedLogger(logger: Logger) {
  const log = logger.child({ component: "embedded-postgres" });
  return {
    info: (message: string) => log.info(message),
    warn: (message: string) => log.warn(message),
    error: (message: string) => log.error(message),
    debug: (message: string) => log.debug(message),
  };
}

/**
 * The database to use: DATABASE_URL as given (migrated here only with MIGRATE_ON_START; otherwise by
 * the migrate job, and /readyz says 503 until it ran), or an embedded PostgreSQL migrated on start and
 * restarted by a supervisor if it dies.
 */
async function openDatabase(config: ServerConfig, logger: Logger) {
  if (config.databaseUrl) {
    if (config.migrateOnStart) {
      const applied = await applyMigrations(config.databaseUrl);
      logger.info({ applied }, "MIGRATE_ON_START: migrations applied");
    }
    return { url: config.databaseUrl, stop: async () => {} };
  }
  if (config.nodeEnv === "production") {
    logger.warn(
      { dataDir: config.dataDir },
      "PRODUCTION ON THE EMBEDDED DATABASE: DATABASE_URL is unset, so data lives in DATA_DIR on this machine only, " +
        "with no backups or failover. Set DATABASE_URL to a managed PostgreSQL (README: Deploy).",
    );
  }
  const { startEmbeddedPostgres } = await loadEmbeddedPostgres();
  // main.ts owns SIGINT/SIGTERM: it drains requests first, then stops PostgreSQL through close().
  const embedded = await startEmbeddedPostgres({
    dataDir: config.dataDir,
    handleSignals: false,
    logger: embeddedLogger(logger),
    supervise: { maxRestarts: 5 },
  });
  try {
    const url = embedded.url();
    const applied = await applyMigrations(url);
    logger.info({ dataDir: config.dataDir, port: embedded.port, applied }, "embedded PostgreSQL ready");
    return { url, stop: () => embedded.stop() };
  } catch (error) {
    await embedded.stop();
    throw error;
  }
}

function listen(app: import("express").Express, port: number, host: string): Promise<Server> {
  return new Promise<Server>((resolve, reject) => {
    const listening = app.listen(port, host, (error?: Error) => (error ? reject(error) : resolve(listening)));
  });
}

export interface ServerOptions {
  /** The clock booking rules (minimum notice, horizon) are measured from; tests set it. */
  now?: () => number;
}

export async function startServer(
  config: ServerConfig,
  logger: Logger,
  options: ServerOptions = {},
): Promise<RunningServer> {
  if (config.clerk.devInstance) {
    logger.warn(
      "DEVELOPMENT ONLY: no Clerk keys set, so sessions are verified with a local key pair in the data folder. " +
        "Get a token with `pnpm dev:token <clerkUserId>`. Set CLERK_* variables to use a real Clerk instance.",
    );
  }
  if (config.calendarSandbox) {
    logger.warn(
      { calendarSandbox: config.calendarSandbox.url },
      "DEVELOPMENT ONLY: calendar sandbox: Microsoft and Google are loopback stand-ins with seeded events " +
        "(calendar.connect opens their consent page). Set CALENDAR_SANDBOX=false and MICROSOFT_*/GOOGLE_* for real calendars.",
    );
  }
  const database = await openDatabase(config, logger);
  const db = createDatabase(database.url);
  const metrics = createMetrics(db);
  // Redirect URIs need the public URL; without PUBLIC_URL it is localhost on the port we end up on.
  let listeningPort = config.port;
  const calendar = createCalendarDependencies(
    config.calendar,
    config.web,
    () => config.web.publicUrl ?? `http://localhost:${listeningPort}`,
  );
  calendar.providers = observeProviders(calendar.providers, metrics);
  if (config.calendar.generatedKeyringPath) {
    logger.warn(
      { path: config.calendar.generatedKeyringPath },
      "DEVELOPMENT ONLY: TOKEN_ENCRYPTION_KEYS is not set, so calendar tokens are encrypted with a key generated into the data folder",
    );
  }
  const matchVapiSecret = createServiceKeyMatcher(config.vapi.secrets);
  const services = createServices({
    db,
    clerkProfiles: createClerkProfileSource({
      apiUrl: config.clerk.apiUrl,
      secretKey: config.clerk.secretKey,
      timeoutMs: config.clerk.apiTimeoutMs,
    }),
    calendar,
    events: config.events,
    voiceAgent: {
      matchGlobalSecret: (presented) => matchVapiSecret(presented) >= 0,
      deadlineMs: config.vapi.deadlineMs,
    },
    ...(options.now ? { now: options.now } : {}),
  });
  // rate-limiter-flexible speaks pg; a small pool of its own keeps its queries off Prisma's. Its
  // commits skip the WAL flush: every caller of one user (or behind one address) updates the same
  // row, and waiting for the disk while holding that row's lock capped them at one commit per flush.
  // A crash of PostgreSQL can lose the last fraction of a second of counts, which a limit can afford.
  const rateLimitPool = new pg.Pool({
    connectionString: database.url,
    max: 4,
    options: "-c synchronous_commit=off",
  });
  // An idle connection dropped by PostgreSQL (restart, failover) must not crash the process; the
  // pool reconnects on next use, and limiters fall back to counting in memory meanwhile.
  rateLimitPool.on("error", (error) => logger.warn({ err: error }, "rate-limit database connection lost"));
  const rateLimits = createRateLimits(rateLimitPool, config.rateLimits, logger);
  const app = createApp({
    config,
    databaseUrl: database.url,
    services,
    logger,
    metrics,
    rateLimits,
  });
  if (config.clerkWebhook.secrets.length === 0) {
    logger.warn(
      "CLERK_WEBHOOK_SIGNING_SECRET is not set: POST /webhooks/clerk answers 503, so Clerk's user updates " +
        "and deletions are not applied (users are still created on their first request)",
    );
  }
  const pruning = startWebhookRecordPruning({
    services,
    retentionDays: config.clerkWebhook.retentionDays,
    intervalMs: config.clerkWebhook.pruneIntervalMs,
    logger,
  });

  const server = await listen(app, config.port, config.host).catch(async (error: unknown) => {
    // E.g. EADDRINUSE: release what was started before the listen, then let the caller report it.
    await pruning.stop();
    await db.$disconnect();
    await rateLimitPool.end();
    await database.stop();
    throw error;
  });
  const { port } = server.address() as AddressInfo;
  listeningPort = port;
  const metricsServer =
    config.metrics.port === undefined
      ? undefined
      : await listen(metricsApp(metrics), config.metrics.port, config.host);
  if (metricsServer) logger.info({ port: config.metrics.port }, "metrics listening (GET /metrics)");
  const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
  logger.info({ url }, "server listening");

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      const drained = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), config.shutdownTimeoutMs);
      metricsServer?.close();
      metricsServer?.closeAllConnections();
      await drained;
      clearTimeout(force);
      await pruning.stop();
      await db.$disconnect();
      await rateLimitPool.end();
      await database.stop();
      logger.info("server stopped");
    })();
    return closing;
  };
  return { url, port, close };
}
