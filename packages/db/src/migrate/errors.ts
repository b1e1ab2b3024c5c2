// Errors the schema engine reports (a JSON payload with Prisma's error code, or a panic) become a
// MigrationError with a readable one-line message.
export class MigrationError extends Error {
  override name = "MigrationError";
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

interface EnginePayload {
  message?: string;
  error_code?: string;
  meta?: { full_error?: string };
}

function parsePayload(text: string): EnginePayload | undefined {
  try {
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === "object" && parsed !== null ? (parsed as EnginePayload) : undefined;
  } catch {
    return undefined;
  }
}

export function toMigrationError(error: unknown, panicMessage?: string): MigrationError {
  if (panicMessage) return new MigrationError(`schema engine panicked: ${panicMessage}`);
  const text =
    error instanceof Error
      ? error.message
      : typeof error === "string"
        ? error
        : JSON.stringify(error ?? "unknown error");
  const payload =
    parsePayload(text) ?? (typeof error === "object" && error ? (error as EnginePayload) : undefined);
  if (payload?.message) return new MigrationError(payload.message.trim(), payload.error_code);
  return new MigrationError(text);
}
