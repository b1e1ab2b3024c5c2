import { pino } from "pino";
import pretty from "pino-pretty";
import { serializeError } from "./logging/error-serializer.js";

export type Logger = pino.Logger;

/** Header and field names whose values are credentials; pino replaces them before anything is written. */
const redactedPaths = [
  "req.headers.authorization",
  "req.headers.cookie",
  "req.headers['x-vapi-secret']",
  "req.headers['svix-signature']",
  "res.headers['set-cookie']",
  "*.accessToken",
  "*.refreshToken",
  "*.access_token",
  "*.refresh_token",
  "*.secretKey",
  "*.token",
];

export type LogFormat = "json" | "pretty";

/** LOG_FORMAT when set; otherwise readable lines for a person at a terminal, JSON for machines and production. */
export function logFormatFor(
  configured: LogFormat | undefined,
  nodeEnv: string,
  isTerminal = process.stdout.isTTY === true,
): LogFormat {
  return configured ?? (nodeEnv !== "production" && isTerminal ? "pretty" : "json");
}

/** `destination`: where lines go (default stdout, pretty or JSON); tests pass a stream they read back. */
export function createLogger(
  level: string,
  format: LogFormat = "json",
  destination?: pino.DestinationStream,
): Logger {
  const options = {
    level,
    redact: { paths: redactedPaths, censor: "[redacted]" },
    // Errors are logged without the values they were processing (logging/error-serializer.ts).
    serializers: { err: serializeError },
  };
  if (destination) return pino(options, destination);
  if (format === "json") return pino(options);
  // Synchronous, so the last lines before an exit are not lost.
  return pino(options, pretty({ sync: true, translateTime: "SYS:HH:MM:ss", ignore: "pid,hostname" }));
}
