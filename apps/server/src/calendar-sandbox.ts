import type { CalendarSandbox } from "@viewings/calendar-sandbox";
import { calendarSandboxMode } from "./config/sandbox.js";
import { type Env, readEnv } from "./env.js";

/**
 * Starts the calendar sandbox when the environment asks for one and returns the environment with the
 * sandbox's providers in it (they replace any MICROSOFT_* / GOOGLE_* settings).
 */
export async function withCalendarSandbox(
  source: NodeJS.ProcessEnv = process.env,
): Promise<{ env: Env; sandbox: CalendarSandbox | undefined }> {
  const env = readEnv(source);
  if (calendarSandboxMode(env) !== "start") return { env, sandbox: undefined };
  // Loaded only here: a production server never loads the sandbox.
  const { startSandbox } = await import("@viewings/calendar-sandbox");
  const sandbox = await startSandbox();
  return { env: readEnv({ ...source, ...sandbox.env }), sandbox };
}
