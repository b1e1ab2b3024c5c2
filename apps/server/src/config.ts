import { defaultDataDir } from "@viewings/db";
import { loadOrCreateDevClerkInstance } from "./auth/dev-clerk-instance.js";
import { type CalendarConfig, calendarConfig } from "./config/calendar.js";
import { type RateLimitConfig, rateLimitConfig } from "./config/rate-limits.js";
import { type WebConfig, webConfig } from "./config/web.js";
import { ConfigError, type Env } from "./env.js";

export interface ClerkConfig {
  secretKey: string;
  publishableKey: string;
  /** PEM public key for networkless verification; without it Clerk fetches the JWKS with the secret key. */
  jwtKey: string | undefined;
  authorizedParties: string[];
  apiUrl: string | undefined;
  /** True when running on the generated local development instance instead of a real Clerk instance. */
  devInstance: boolean;
}

export interface ClerkWebhookConfig {
  /** Svix signing secrets; a delivery verified by any of them is accepted. Empty: the route answers 503. */
  secrets: string[];
  /** Days the record of each handled delivery is kept (at least 7, beyond Svix's retry window). */
  retentionDays: number;
  pruneIntervalMs: number;
}

export interface ServerConfig {
  nodeEnv: Env["NODE_ENV"];
  port: number;
  host: string;
  logLevel: Env["LOG_LEVEL"];
  /** Unset: the server starts an embedded PostgreSQL with its data in dataDir. */
  databaseUrl: string | undefined;
  dataDir: string;
  shutdownTimeoutMs: number;
  clerk: ClerkConfig;
  clerkWebhook: ClerkWebhookConfig;
  serviceApiKeys: string[];
  /** Public URLs, the frontend and CORS origins (config/web.ts). */
  web: WebConfig;
  /** Calendar OAuth providers and the token keyring (config/calendar.ts). */
  calendar: CalendarConfig;
  events: { defaultTimeZone: string; cacheTtlMs: number; providerDeadlineMs: number };
  /** Shared VAPI webhook secrets (agents can also have their own) and the tool-call deadline. */
  vapi: { secrets: string[]; deadlineMs: number };
  /** Limits kept in PostgreSQL, shared by every instance (security/rate-limits.ts). */
  rateLimits: RateLimitConfig;
}

function clerkConfig(env: Env, dataDir: string): ClerkConfig {
  const { CLERK_SECRET_KEY: secretKey, CLERK_PUBLISHABLE_KEY: publishableKey, CLERK_JWT_KEY: jwtKey } = env;
  const shared = { authorizedParties: env.CLERK_AUTHORIZED_PARTIES, apiUrl: env.CLERK_API_URL };
  if (secretKey && publishableKey)
    return { ...shared, secretKey, publishableKey, jwtKey, devInstance: false };
  if (env.NODE_ENV !== "production" && !secretKey && !publishableKey && !jwtKey) {
    const dev = loadOrCreateDevClerkInstance(dataDir);
    return { ...shared, ...dev, jwtKey: dev.publicKeyPem, devInstance: true };
  }
  const missing = [!secretKey && "CLERK_SECRET_KEY", !publishableKey && "CLERK_PUBLISHABLE_KEY"].filter(
    Boolean,
  );
  throw new ConfigError(
    `Invalid environment:\n  ${missing.join(", ")}: required` +
      (env.NODE_ENV === "production" ? " in production" : " when any Clerk key is set"),
  );
}

/**
 * Both of Clerk's names for the signing secret are read (older guides: CLERK_WEBHOOK_SECRET; the SDK:
 * CLERK_WEBHOOK_SIGNING_SECRET). Production refuses to start without one: deletions and profile
 * changes would then never reach the database, and Svix would retry into a 503 until it gives up.
 */
export function clerkWebhookConfig(env: Env): ClerkWebhookConfig {
  const secrets = [...new Set([...env.CLERK_WEBHOOK_SIGNING_SECRET, ...env.CLERK_WEBHOOK_SECRET])];
  if (secrets.length === 0 && env.NODE_ENV === "production") {
    throw new ConfigError(
      "Invalid environment:\n  CLERK_WEBHOOK_SIGNING_SECRET (or CLERK_WEBHOOK_SECRET): required in production",
    );
  }
  return { secrets, retentionDays: env.CLERK_WEBHOOK_RETENTION_DAYS, pruneIntervalMs: 60 * 60 * 1000 };
}

export function buildConfig(env: Env): ServerConfig {
  const dataDir = env.DATA_DIR ?? defaultDataDir;
  const clerk = clerkConfig(env, dataDir);
  return {
    nodeEnv: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST ?? (env.NODE_ENV === "production" ? "0.0.0.0" : "127.0.0.1"),
    logLevel: env.LOG_LEVEL,
    databaseUrl: env.DATABASE_URL,
    dataDir,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    clerk,
    clerkWebhook: clerkWebhookConfig(env),
    // The existing frontend authenticates server calls with the Clerk secret key, so that is the default.
    serviceApiKeys: env.SERVICE_API_KEYS.length > 0 ? env.SERVICE_API_KEYS : [clerk.secretKey],
    web: webConfig(env),
    calendar: calendarConfig(env, dataDir),
    events: {
      defaultTimeZone: env.DEFAULT_TIME_ZONE,
      cacheTtlMs: env.EVENTS_CACHE_TTL_MS,
      providerDeadlineMs: env.CALENDAR_DEADLINE_MS,
    },
    vapi: { secrets: env.VAPI_WEBHOOK_SECRETS, deadlineMs: env.VAPI_TOOL_DEADLINE_MS },
    rateLimits: rateLimitConfig(env),
  };
}
