import type { Env } from "../env.js";

export interface WebConfig {
  /** Set explicitly, or undefined: then http://localhost:<listening port> (development). */
  publicUrl: string | undefined;
  /** The frontend; the OAuth callback lands the browser here by default. */
  frontendUrl: string;
  /** Origins allowed to call /trpc from a browser and to be a connect flow's returnTo. */
  corsOrigins: string[];
}

/** Where a development frontend (Next.js on another port than this server's 3000) usually runs. */
const devFrontendUrl = "http://localhost:3001";

export function webConfig(env: Env): WebConfig {
  const frontendUrl = (env.FRONTEND_URL ?? devFrontendUrl).replace(/\/+$/, "");
  return {
    publicUrl: env.PUBLIC_URL?.replace(/\/+$/, ""),
    frontendUrl,
    corsOrigins: [...new Set([new URL(frontendUrl).origin, ...env.CORS_ORIGINS])],
  };
}
