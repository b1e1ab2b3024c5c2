import { defaultDataDir } from "@viewings/db";
import { loadOrCreateDevClerkInstance } from "./auth/dev-clerk-instance.js";
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
  serviceApiKeys: string[];
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
    // The existing frontend authenticates server calls with the Clerk secret key, so that is the default.
    serviceApiKeys: env.SERVICE_API_KEYS.length > 0 ? env.SERVICE_API_KEYS : [clerk.secretKey],
  };
}
