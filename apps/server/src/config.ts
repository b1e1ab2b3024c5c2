import { defaultDataDir } from "@viewings/db";
import { loadOrCreateDevClerkInstance } from "./auth/dev-clerk-instance.js";
import { type CalendarConfig, calendarConfig } from "./config/calendar.js";
import { anyAuthorizedParty, productionProblems } from "./config/production.js";
import { type RateLimitConfig, rateLimitConfig } from "./config/rate-limits.js";
import { calendarSandboxMode } from "./config/sandbox.js";
import { type WebConfig, webConfig } from "./config/web.js";
import {
  ConfigError,
  configErrorOf,
  type Env,
  minServiceKeyLength,
  problemsOf,
  readEnvLeniently,
} from "./env.js";

export interface ClerkConfig {
  secretKey: string;
  publishableKey: string;
  /** PEM public key for networkless verification; without it Clerk fetches the JWKS with the secret key. */
  jwtKey: string | undefined;
  authorizedParties: string[];
  apiUrl: string | undefined;
  /** Deadline of one Backend API call. */
  apiTimeoutMs: number;
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
  /** Unset: pretty at a terminal outside production, JSON otherwise (logger.ts). */
  logFormat: Env["LOG_FORMAT"];
  /** Print the start-up banner (with pretty logs); `pnpm dev` turns it off on restarts. */
  startupBanner: boolean;
  /** Unset: the server starts an embedded PostgreSQL with its data in dataDir. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** Apply pending migrations before listening (MIGRATE_ON_START); otherwise a one-shot job does. */
  migrateOnStart: boolean;
  /** GET /metrics: behind a bearer token on the main port, and/or tokenless on a separate port. */
  metrics: { token: string | undefined; port: number | undefined };
  shutdownTimeoutMs: number;
  clerk: ClerkConfig;
  clerkWebhook: ClerkWebhookConfig;
  serviceApiKeys: string[];
  /** Public URLs, the frontend and CORS origins (config/web.ts). */
  web: WebConfig;
  /** Calendar OAuth providers and the token keyring (config/calendar.ts). */
  calendar: CalendarConfig;
  /** The development calendar sandbox the providers point at, when one is in use. */
  calendarSandbox: { url: string } | undefined;
  events: { defaultTimeZone: string; cacheTtlMs: number; providerDeadlineMs: number };
  /** Shared VAPI webhook secrets (agents can also have their own) and the tool-call deadline. */
  vapi: { secrets: string[]; deadlineMs: number };
  /** Limits kept in PostgreSQL, shared by every instance (security/rate-limits.ts). */
  rateLimits: RateLimitConfig;
}

function clerkConfig(env: Env, dataDir: string): ClerkConfig {
  const { CLERK_SECRET_KEY: secretKey, CLERK_PUBLISHABLE_KEY: publishableKey, CLERK_JWT_KEY: jwtKey } = env;
  const parties = env.CLERK_AUTHORIZED_PARTIES;
  const shared = {
    authorizedParties: parties.includes(anyAuthorizedParty) ? [] : parties,
    apiUrl: env.CLERK_API_URL,
    apiTimeoutMs: env.CLERK_API_TIMEOUT_MS,
  };
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

/** Runs one part of the configuration, noting its problems instead of stopping at the first. */
function collector(problems: string[]) {
  return <T>(build: () => T): T | undefined => {
    try {
      return build();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...problemsOf(error));
      return undefined;
    }
  };
}

/** The existing frontend authenticates server calls with the Clerk secret key, so that is the default. */
function serviceKeys(env: Env, clerk: ClerkConfig | undefined, problems: string[]): string[] {
  if (env.SERVICE_API_KEYS.length > 0) return env.SERVICE_API_KEYS;
  const fallback = env.CLERK_SECRET_KEY ?? clerk?.secretKey;
  if (fallback !== undefined && fallback.length < minServiceKeyLength) {
    problems.push(
      `CLERK_SECRET_KEY: is the service key while SERVICE_API_KEYS is unset, so it must be at least ${minServiceKeyLength} characters (or set SERVICE_API_KEYS)`,
    );
  }
  return fallback ? [fallback] : [];
}

/** Builds the configuration, or throws one ConfigError listing every problem found. */
export function buildConfig(env: Env): ServerConfig {
  const problems: string[] = [];
  const attempt = collector(problems);
  const dataDir = env.DATA_DIR ?? defaultDataDir;
  const clerk = attempt(() => clerkConfig(env, dataDir));
  const clerkWebhook = attempt(() => clerkWebhookConfig(env));
  const web = attempt(() => webConfig(env));
  const calendar = attempt(() => calendarConfig(env, dataDir));
  const serviceApiKeys = serviceKeys(env, clerk, problems);
  if (env.NODE_ENV === "production") problems.push(...productionProblems(env));
  if (problems.length > 0 || !clerk || !clerkWebhook || !web || !calendar) throw configErrorOf(problems);
  return {
    nodeEnv: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST ?? (env.NODE_ENV === "production" ? "0.0.0.0" : "127.0.0.1"),
    logLevel: env.LOG_LEVEL,
    logFormat: env.LOG_FORMAT,
    startupBanner: env.STARTUP_BANNER === "true",
    databaseUrl: env.DATABASE_URL,
    dataDir,
    migrateOnStart: env.MIGRATE_ON_START,
    metrics: { token: env.METRICS_TOKEN, port: env.METRICS_PORT },
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    clerk,
    clerkWebhook,
    serviceApiKeys,
    web,
    calendar,
    calendarSandbox:
      calendarSandboxMode(env) === "attached" && env.CALENDAR_SANDBOX_URL
        ? { url: env.CALENDAR_SANDBOX_URL }
        : undefined,
    events: {
      defaultTimeZone: env.DEFAULT_TIME_ZONE,
      cacheTtlMs: env.EVENTS_CACHE_TTL_MS,
      providerDeadlineMs: env.CALENDAR_DEADLINE_MS,
    },
    vapi: { secrets: env.VAPI_WEBHOOK_SECRETS, deadlineMs: env.VAPI_TOOL_DEADLINE_MS },
    rateLimits: rateLimitConfig(env),
  };
}

/** Reads and validates the environment; a failed start lists every problem at once. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): ServerConfig {
  const { env, problems } = readEnvLeniently(source);
  try {
    const config = buildConfig(env);
    if (problems.length > 0) throw configErrorOf(problems);
    return config;
  } catch (error) {
    if (!(error instanceof ConfigError) || problems.length === 0) throw error;
    throw configErrorOf([...problems, ...problemsOf(error)]);
  }
}
