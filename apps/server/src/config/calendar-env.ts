/**
 * Environment variables of calendar connections and the browser-facing URLs, spread into env.ts's
 * schema (env.ts stays the only reader of process.env). .env.example documents each one.
 */
import { z } from "zod";
import { csv } from "./env-types.js";

const httpUrl = z.url({ protocol: /^https?$/ });

/** An origin as browsers send it: scheme://host[:port], no path. */
const origins = csv
  .refine(
    (list) => list.every((item) => URL.canParse(item) && new URL(item).origin === item.replace(/\/$/, "")),
    "each entry must be an origin such as https://app.example.com (scheme, host, optional port; no path)",
  )
  .transform((list) => list.map((item) => new URL(item).origin));

export const calendarEnvShape = {
  PUBLIC_URL: httpUrl.optional(),
  FRONTEND_URL: httpUrl.optional(),
  CORS_ORIGINS: origins,
  TOKEN_ENCRYPTION_KEYS: z.string().min(1).optional(),
  MICROSOFT_CLIENT_ID: z.string().min(1).optional(),
  MICROSOFT_CLIENT_SECRET: z.string().min(1).optional(),
  MICROSOFT_TENANT_ID: z
    .string()
    .regex(/^[A-Za-z0-9.-]+$/, "must be common, organizations, consumers, a tenant id or domain")
    .default("common"),
  MICROSOFT_LOGIN_URL: httpUrl.default("https://login.microsoftonline.com"),
  MICROSOFT_GRAPH_URL: httpUrl.default("https://graph.microsoft.com/v1.0"),
  GOOGLE_CLIENT_ID: z.string().min(1).optional(),
  GOOGLE_CLIENT_SECRET: z.string().min(1).optional(),
  GOOGLE_AUTH_URL: httpUrl.default("https://accounts.google.com/o/oauth2/v2/auth"),
  GOOGLE_TOKEN_URL: httpUrl.default("https://oauth2.googleapis.com/token"),
  GOOGLE_REVOKE_URL: httpUrl.default("https://oauth2.googleapis.com/revoke"),
  GOOGLE_API_URL: httpUrl.default("https://www.googleapis.com"),
  CALENDAR_LEGACY_CONNECT: z.enum(["direct", "confirm"]).default("direct"),
  CALENDAR_HTTP_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
};
