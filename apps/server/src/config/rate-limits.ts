/**
 * Rate-limit variables, spread into env.ts's schema (env.ts stays the only reader of process.env).
 * Each limit is "<points>/<seconds>" (e.g. 20/60: 20 in any 60 s window) or "off".
 */
import { z } from "zod";
import type { Env } from "../env.js";

export interface Limit {
  points: number;
  durationSeconds: number;
}

const limitText = z
  .string()
  .trim()
  .regex(/^(off|\d{1,7}\/\d{1,6})$/, 'must be "<points>/<seconds>" such as 20/60, or "off"')
  .transform((value): Limit | null => {
    if (value === "off") return null;
    const [points, seconds] = value.split("/").map(Number) as [number, number];
    return { points, durationSeconds: seconds };
  })
  .refine((value) => value === null || (value.points > 0 && value.durationSeconds > 0), "must be above 0/0");

const limit = (fallback: string) => z.string().default(fallback).pipe(limitText);

export const rateLimitEnvShape = {
  // Failed credentials (VAPI secrets, service keys, session tokens) per client address; past it the
  // address is locked out of /trpc, the REST routes and /webhooks/vapi for the block time.
  RATE_LIMIT_FAILED_AUTH: limit("20/60"),
  RATE_LIMIT_FAILED_AUTH_BLOCK_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  RATE_LIMIT_OAUTH_CALLBACK: limit("30/60"),
  RATE_LIMIT_WEBHOOKS: limit("1200/60"),
  // Per signed-in user (per address for anonymous callers); a batch counts each of its calls.
  RATE_LIMIT_TRPC_USER: limit("1200/60"),
};

export interface RateLimitConfig {
  failedAuth: Limit | null;
  failedAuthBlockSeconds: number;
  oauthCallback: Limit | null;
  webhooks: Limit | null;
  trpcUser: Limit | null;
}

export function rateLimitConfig(env: Env): RateLimitConfig {
  return {
    failedAuth: env.RATE_LIMIT_FAILED_AUTH,
    failedAuthBlockSeconds: env.RATE_LIMIT_FAILED_AUTH_BLOCK_SECONDS,
    oauthCallback: env.RATE_LIMIT_OAUTH_CALLBACK,
    webhooks: env.RATE_LIMIT_WEBHOOKS,
    trpcUser: env.RATE_LIMIT_TRPC_USER,
  };
}
