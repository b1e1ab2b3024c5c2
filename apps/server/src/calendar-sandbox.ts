import type { CalendarSandbox } from "@viewings/calendar-sandbox";
import { calendarSandboxMode } from "./config/sandbox.js";
import { type Env, readEnvLeniently } from "./env.js";

/**
 * Starts the calendar sandbox when the environment asks for one and returns the environment with the
 * sandbox's providers in it (they replace any MICROSOFT_* / GOOGLE_* settings). Problems with the
 * environment are not reported here but by loadConfig, all in one message.
 */
export async function withCalendarSandbox(
  source: NodeJS.ProcessEnv = process.env,
): Promise<{ env: Env; source: NodeJS.ProcessEnv; sandbox: CalendarSandbox | undefined }> {
  const { env } = readEnvLeniently(source);
  if (calendarSandboxMode(env) !== "start") return { env, source, sandbox: undefined };
  // Loaded only here: a production server never loads the sandbox.
  const { startSandbox } = await import("@viewings/calendar-sandbox");
  const sandbox = await startSandbox();
  const withSandbox = { ...source, ...sandbox.env };
  return { env: readEnvLeniently(withSandbox).env, source: withSandbox, sandbox };
}
