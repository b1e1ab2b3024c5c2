// The small logging surface the launcher needs; pino, console and friends all satisfy it.
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  debug?(message: string): void;
  error?(message: string): void;
}

/** Default: warnings to stderr, nothing else. */
export const quietLogger: Logger = {
  info() {},
  warn(message) {
    console.warn(`[embedded-postgres] ${message}`);
  },
};
