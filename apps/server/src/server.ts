import type { AddressInfo } from "node:net";
import { createServices } from "@viewings/api";
import { applyMigrations, createDatabase, startEmbeddedPostgres } from "@viewings/db";
import { createApp } from "./app.js";
import { createClerkApiClient } from "./auth/authenticate.js";
import { createClerkProfileSource } from "./auth/clerk-profiles.js";
import { createServiceKeyMatcher } from "./auth/service-keys.js";
import { createCalendarDependencies } from "./config/calendar-dependencies.js";
import type { ServerConfig } from "./config.js";
import type { Logger } from "./logger.js";
import { startWebhookRecordPruning } from "./webhooks/prune-schedule.js";

export interface RunningServer {
  url: string;
  port: number;
  /** Stops accepting connections, lets in-flight requests finish, then releases the database. */
  close(): Promise<void>;
}

/** The database to use: DATABASE_URL as given, or an embedded PostgreSQL migrated on start. */
async function openDatabase(config: ServerConfig, logger: Logger) {
  if (config.databaseUrl) return { url: config.databaseUrl, stop: async () => {} };
  // main.ts owns SIGINT/SIGTERM: it drains requests first, then stops PostgreSQL through close().
  const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, handleSignals: false });
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
  const database = await openDatabase(config, logger);
  const db = createDatabase(database.url);
  const clerkClient = createClerkApiClient(config.clerk);
  // Redirect URIs need the public URL; without PUBLIC_URL it is localhost on the port we end up on.
  let listeningPort = config.port;
  const calendar = createCalendarDependencies(
    config.calendar,
    config.web,
    () => config.web.publicUrl ?? `http://localhost:${listeningPort}`,
  );
  if (config.calendar.generatedKeyringPath) {
    logger.warn(
      { path: config.calendar.generatedKeyringPath },
      "DEVELOPMENT ONLY: TOKEN_ENCRYPTION_KEYS is not set, so calendar tokens are encrypted with a key generated into the data folder",
    );
  }
  const matchVapiSecret = createServiceKeyMatcher(config.vapi.secrets);
  const services = createServices({
    db,
    clerkProfiles: createClerkProfileSource(clerkClient),
    calendar,
    events: config.events,
    voiceAgent: {
      matchGlobalSecret: (presented) => matchVapiSecret(presented) >= 0,
      deadlineMs: config.vapi.deadlineMs,
    },
    ...(options.now ? { now: options.now } : {}),
  });
  const app = createApp({ config, db, services, clerkClient, logger });
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

  const server = await new Promise<import("node:http").Server>((resolve, reject) => {
    const listening = app.listen(config.port, config.host, (error?: Error) =>
      error ? reject(error) : resolve(listening),
    );
  });
  const { port } = server.address() as AddressInfo;
  listeningPort = port;
  const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
  logger.info({ url }, "server listening");

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      const drained = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), config.shutdownTimeoutMs);
      await drained;
      clearTimeout(force);
      await pruning.stop();
      await db.$disconnect();
      await database.stop();
      logger.info("server stopped");
    })();
    return closing;
  };
  return { url, port, close };
}
