import { pino } from "pino";

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

export function createLogger(level: string): Logger {
  return pino({ level, redact: { paths: redactedPaths, censor: "[redacted]" } });
}
