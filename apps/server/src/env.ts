/**
 * The only reader of process.env. Every variable is validated here at start-up; a missing or malformed
 * one stops the process with a message naming it. .env.example documents each variable.
 */
import { createPublicKey } from "node:crypto";
import { timeZoneSchema } from "@viewings/validators";
import { z } from "zod";
import { calendarEnvShape } from "./config/calendar-env.js";
import { csv } from "./config/env-types.js";
import { rateLimitEnvShape } from "./config/rate-limits.js";
import { sandboxEnvShape } from "./config/sandbox-env.js";

const postgresUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\/.+/, "must be a postgres:// or postgresql:// connection string");

/** Clerk's publishable key is pk_test_/pk_live_ + base64("<frontend api host>$"); Clerk 500s on any other. */
const publishableKey = z.string().refine((key) => {
  const match = /^pk_(test|live)_(.+)$/.exec(key);
  if (!match?.[2]) return false;
  const host = Buffer.from(match[2], "base64").toString("utf8");
  return /^[a-z0-9.-]+\.[a-z0-9-]+\$$/i.test(host);
}, "must be pk_test_ or pk_live_ followed by base64 of the Frontend API host and '$' (copy it from Clerk's dashboard)");

/**
 * Clerk verifies networklessly only with a 2048-bit RSA SPKI PEM, and fails silently otherwise, so check
 * it here. Literal "\n" sequences (common in .env files) are turned into real newlines.
 */
const jwtKey = z
  .string()
  .transform((pem) => pem.replace(/\\n/g, "\n").trim())
  .refine((pem) => {
    if (!pem.startsWith("-----BEGIN PUBLIC KEY-----")) return false;
    try {
      const key = createPublicKey(pem);
      return key.asymmetricKeyType === "rsa" && key.asymmetricKeyDetails?.modulusLength === 2048;
    } catch {
      return false;
    }
  }, "must be the instance's 2048-bit RSA public key in PEM (-----BEGIN PUBLIC KEY-----), from Clerk's dashboard");

/**
 * Svix signing secrets ("whsec_" + base64), comma-separated: during a rotation both the old and the new
 * secret verify. Checked here because svix throws on a malformed secret only when the first request comes.
 */
const webhookSecrets = csv.refine(
  (secrets) =>
    secrets.every((secret) => /^whsec_[A-Za-z0-9+/]{4,}={0,2}$/.test(secret) && secret.length % 4 === 2),
  "each secret must be Clerk's signing secret, whsec_ followed by base64 (Dashboard > Webhooks > Signing Secret)",
);

/** A bearer key anyone can present; short ones can be guessed. Also applies to the CLERK_SECRET_KEY fallback. */
export const minServiceKeyLength = 32;

export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  LOG_FORMAT: z.enum(["json", "pretty"]).optional(),
  STARTUP_BANNER: z.enum(["true", "false"]).default("true"),
  DATABASE_URL: postgresUrl.optional(),
  DATA_DIR: z.string().min(1).optional(),
  CLERK_SECRET_KEY: z.string().min(1).optional(),
  CLERK_PUBLISHABLE_KEY: publishableKey.optional(),
  CLERK_JWT_KEY: jwtKey.optional(),
  CLERK_AUTHORIZED_PARTIES: csv,
  CLERK_API_URL: z.url().optional(),
  // Clerk's Backend API (profiles of users whose token has no email claim) must answer within this.
  CLERK_API_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(3_000),
  CLERK_WEBHOOK_SECRET: webhookSecrets,
  CLERK_WEBHOOK_SIGNING_SECRET: webhookSecrets,
  // At least a week: Svix retries a delivery for about 5 days, and a record pruned before its last
  // retry would let that retry apply the event a second time.
  CLERK_WEBHOOK_RETENTION_DAYS: z.coerce.number().int().min(7).max(3650).default(30),
  SERVICE_API_KEYS: csv.refine(
    (keys) => keys.every((key) => key.length >= minServiceKeyLength),
    `each key must be at least ${minServiceKeyLength} characters`,
  ),
  // Off by default: production applies pending migrations with the migrate command (a one-shot job).
  MIGRATE_ON_START: z.stringbool().default(false),
  // Bearer token for GET /metrics; unset: /metrics is not served on the main port.
  METRICS_TOKEN: z.string().min(32, "must be at least 32 characters").optional(),
  // A separate port for GET /metrics without a token (keep it off the load balancer). Unset: none.
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  ...calendarEnvShape,
  ...sandboxEnvShape,
  // The old backend's zone, kept as the default for users who have not chosen one.
  DEFAULT_TIME_ZONE: timeZoneSchema.default("America/Chicago"),
  EVENTS_CACHE_TTL_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
  // Below VAPI's 20 s tool timeout with room for the rest of the request.
  CALENDAR_DEADLINE_MS: z.coerce.number().int().min(100).max(60_000).default(8_000),
  VAPI_WEBHOOK_SECRETS: csv.refine(
    (keys) => keys.every((key) => key.length >= 16),
    "each secret must be at least 16 characters",
  ),
  // VAPI gives up on a tool call after 20 s by default: answer well before, even if a calendar hangs.
  VAPI_TOOL_DEADLINE_MS: z.coerce.number().int().min(1_000).max(19_000).default(15_000),
  ...rateLimitEnvShape,
});

export type Env = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Treats empty strings as unset, so `FOO=` in a .env file means "use the default". */
function withoutEmpty(source: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(source).filter((entry): entry is [string, string] => !!entry[1]));
}

/** One line per problem, as start-up prints them. */
export function configErrorOf(problems: string[]): ConfigError {
  return new ConfigError(`Invalid environment:\n${problems.map((problem) => `  ${problem}`).join("\n")}`);
}

/** The problems a ConfigError lists (its message minus the heading). */
export function problemsOf(error: ConfigError): string[] {
  return error.message
    .split("\n")
    .filter((line) => line.startsWith("  "))
    .map((line) => line.trim());
}

/**
 * The environment with every malformed variable treated as unset, plus one line per malformed
 * variable; start-up reports these together with the problems found later (config.ts).
 */
export function readEnvLeniently(source: NodeJS.ProcessEnv = process.env): { env: Env; problems: string[] } {
  const input = withoutEmpty(source);
  const parsed = envSchema.safeParse(input);
  if (parsed.success) return { env: parsed.data, problems: [] };
  const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
  const invalid = new Set(parsed.error.issues.map((issue) => String(issue.path[0])));
  const valid = Object.fromEntries(Object.entries(input).filter(([name]) => !invalid.has(name)));
  return { env: envSchema.parse(valid), problems };
}

export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const { env, problems } = readEnvLeniently(source);
  if (problems.length > 0) throw configErrorOf(problems);
  return env;
}
