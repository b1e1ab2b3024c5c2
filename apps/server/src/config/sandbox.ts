/**
 * The calendar sandbox (@viewings/calendar-sandbox): loopback Microsoft and Google providers for
 * development, so connecting, listing, availability, booking and the voice agent work offline.
 * Development only, like the Clerk stand-in: production refuses to start with it.
 */
import type { Env } from "../env.js";

/** off; start one in this process; or use the one at CALENDAR_SANDBOX_URL (its provider env is set). */
export type SandboxMode = "off" | "start" | "attached";

/** Production refuses to start with the sandbox asked for (see productionProblems). */
export function sandboxRequested(env: Env): boolean {
  return !!env.CALENDAR_SANDBOX || !!env.CALENDAR_SANDBOX_URL;
}

/**
 * On when asked for, or by default in development when no real provider is configured; never in
 * production.
 */
export function calendarSandboxMode(env: Env): SandboxMode {
  if (env.NODE_ENV === "production") return "off";
  if (env.CALENDAR_SANDBOX === false) return "off";
  if (env.CALENDAR_SANDBOX_URL) return "attached";
  const noProvider = !env.MICROSOFT_CLIENT_ID && !env.GOOGLE_CLIENT_ID;
  return (env.CALENDAR_SANDBOX ?? (env.NODE_ENV === "development" && noProvider)) ? "start" : "off";
}
