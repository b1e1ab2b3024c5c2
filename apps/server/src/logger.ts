import { pino } from "pino";
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

/** `destination`: where lines go (default stdout); tests pass a stream they read back. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: redactedPaths, censor: "[redacted]" },
      // Errors are logged without the values they were processing (logging/error-serializer.ts).
      serializers: { err: serializeError },
    },
    destination,
  );
}
