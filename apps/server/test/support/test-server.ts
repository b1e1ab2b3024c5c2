import { createApiClient } from "@viewings/client";
import { createDatabase, type Database } from "@viewings/db";
import { createTestDatabase } from "@viewings/db/testing";
import { buildConfig } from "../../src/config.js";
import { readEnv } from "../../src/env.js";
import { createLogger, type Logger } from "../../src/logger.js";
import { startServer } from "../../src/server.js";
import { type ClerkInstance, clerkServerEnv, createClerkInstance } from "./clerk-instance.js";

export interface TestServer {
  url: string;
  /** The database the server uses, for a second server process sharing it. */
  databaseUrl: string;
  clerk: ClerkInstance;
  serviceKey: string;
  /** Direct database access for arranging and asserting; the server has its own connections. */
  db: Database;
  /** A typed client as the frontend builds it, signed in with the given token (or none). */
  client(token?: string | null): ReturnType<typeof createApiClient>;
  /** Convenience: a client signed in as this Clerk user with an email claim. */
  clientFor(clerkUserId: string, email?: string): Promise<ReturnType<typeof createApiClient>>;
  close(): Promise<void>;
}

/**
 * Starts the real server (Express listening on a loopback port) on a fresh database cloned from the
 * migrated template, configured through the same env validation as production.
 */
export interface TestServerOptions {
  /** Use this database (e.g. shared with another server, or one the test stops) instead of a fresh one. */
  databaseUrl?: string;
  /** Log here instead of the silent default (e.g. to assert on a warning). */
  logger?: Logger;
  /** Collect the server's log lines here (at LOG_LEVEL, default debug when given) instead of dropping them. */
  logLines?: string[];
  /** The server's scheduling clock (epoch ms), for rules measured from now. */
  now?: () => number;
}

export async function startTestServer(
  env: Record<string, string> = {},
  options: TestServerOptions = {},
): Promise<TestServer> {
  const database = options.databaseUrl
    ? { url: options.databaseUrl, drop: async () => {} }
    : await createTestDatabase();
  const clerk = await createClerkInstance();
  const serviceKey = "svc_test_key_0123456789abcdef0123456789";
  const config = buildConfig(
    readEnv({
      NODE_ENV: "test",
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? (options.logLines ? "debug" : "silent"),
      DATABASE_URL: database.url,
      ...clerkServerEnv(clerk),
      SERVICE_API_KEYS: serviceKey,
      // Tests make many calls from one address and user; the rate-limit tests set their own limits.
      RATE_LIMIT_FAILED_AUTH: "100000/60",
      RATE_LIMIT_OAUTH_CALLBACK: "100000/60",
      RATE_LIMIT_WEBHOOKS: "100000/60",
      RATE_LIMIT_TRPC_USER: "100000/60",
      ...env,
    }),
  );
  const lines = options.logLines;
  const destination = lines ? { write: (line: string) => void lines.push(line) } : undefined;
  const logger = options.logger ?? createLogger(config.logLevel, "json", destination);
  const server = await startServer(config, logger, options.now ? { now: options.now } : {});
  const db = createDatabase(database.url, { poolSize: 2 });
  const client = (token?: string | null) =>
    createApiClient({ url: `${server.url}/trpc`, getToken: () => token });
  return {
    url: server.url,
    databaseUrl: database.url,
    clerk,
    serviceKey,
    db,
    client,
    async clientFor(clerkUserId, email = `${clerkUserId.toLowerCase()}@example.com`) {
      return client(await clerk.sessionToken(clerkUserId, { claims: { email } }));
    },
    async close() {
      await server.close();
      await db.$disconnect();
      await database.drop();
    },
  };
}
