import type { GoogleProviderConfig, Keyring, MicrosoftProviderConfig } from "@viewings/api";
import { ConfigError, type Env } from "../env.js";
import { loadTokenKeyring } from "./token-keys.js";

export interface CalendarConfig {
  /** Undefined when MICROSOFT_CLIENT_ID is unset: the provider is reported unavailable. */
  microsoft: MicrosoftProviderConfig | undefined;
  google: GoogleProviderConfig | undefined;
  keyring: Keyring;
  /** Path of the generated development keyring, when one is used instead of TOKEN_ENCRYPTION_KEYS. */
  generatedKeyringPath: string | undefined;
  timeoutMs: number;
  /** CALENDAR_LEGACY_CONNECT: whether the old frontend's flows attach without a confirmation. */
  legacyConnect: "direct" | "confirm";
}

function credentials(id: string | undefined, secret: string | undefined, prefix: string) {
  if (!id && !secret) return undefined;
  if (!id || !secret) {
    throw new ConfigError(
      `Invalid environment:\n  ${prefix}_CLIENT_ID, ${prefix}_CLIENT_SECRET: set both or neither`,
    );
  }
  return { clientId: id, clientSecret: secret };
}

export function calendarConfig(env: Env, dataDir: string): CalendarConfig {
  const timeoutMs = env.CALENDAR_HTTP_TIMEOUT_MS;
  const microsoft = credentials(env.MICROSOFT_CLIENT_ID, env.MICROSOFT_CLIENT_SECRET, "MICROSOFT");
  const google = credentials(env.GOOGLE_CLIENT_ID, env.GOOGLE_CLIENT_SECRET, "GOOGLE");
  if (env.NODE_ENV === "production" && (microsoft || google) && (!env.PUBLIC_URL || !env.FRONTEND_URL)) {
    throw new ConfigError(
      "Invalid environment:\n  PUBLIC_URL, FRONTEND_URL: required in production when a calendar provider is configured",
    );
  }
  const { keyring, generatedAt } = loadTokenKeyring(env.TOKEN_ENCRYPTION_KEYS, env.NODE_ENV, dataDir);
  return {
    microsoft: microsoft && {
      ...microsoft,
      tenant: env.MICROSOFT_TENANT_ID,
      loginUrl: env.MICROSOFT_LOGIN_URL,
      graphUrl: env.MICROSOFT_GRAPH_URL,
      timeoutMs,
    },
    google: google && {
      ...google,
      authUrl: env.GOOGLE_AUTH_URL,
      tokenUrl: env.GOOGLE_TOKEN_URL,
      revokeUrl: env.GOOGLE_REVOKE_URL,
      apiUrl: env.GOOGLE_API_URL,
      timeoutMs,
    },
    keyring,
    generatedKeyringPath: generatedAt,
    timeoutMs,
    legacyConnect: env.CALENDAR_LEGACY_CONNECT,
  };
}
