/**
 * How errors are written to the log. pino's standard serializer copies every enumerable field and the
 * full message; Prisma's messages and fields repeat the query's arguments (a failed upsert logs the
 * email and names it was given), and other libraries attach request data the same way. This one
 * keeps what an operator needs to find the fault, never a value that was being processed:
 * the error's class, its code, the constraint or model named by the database, the first line of a
 * database error's message, and the stack frames without the message.
 */

interface LoggedError {
  type: string;
  message: string;
  code?: string;
  constraint?: string;
  model?: string;
  stack?: string;
  cause?: LoggedError;
}

const isDatabaseError = (name: string) => name.startsWith("Prisma") || name === "DriverAdapterError";

/** The stack's frames only: the first line repeats the message. */
const framesOf = (stack: unknown) =>
  typeof stack === "string"
    ? stack
        .split("\n")
        .filter((line) => line.trimStart().startsWith("at "))
        .join("\n")
    : undefined;

function constraintOf(error: Record<string, unknown>): string | undefined {
  const meta = error.meta as { driverAdapterError?: { cause?: { constraint?: unknown } } } | undefined;
  const constraint = meta?.driverAdapterError?.cause?.constraint;
  return typeof constraint === "string" ? constraint : undefined;
}

export function serializeError(value: unknown, depth = 0): LoggedError | unknown {
  if (!(value instanceof Error))
    return value === undefined || value === null ? value : { type: typeof value };
  const error = value as Error & Record<string, unknown>;
  const type = error.constructor?.name ?? error.name;
  const database = isDatabaseError(type) || isDatabaseError(error.name);
  const logged: LoggedError = {
    type,
    // A database message's first line names the operation ("Invalid `prisma.user.upsert()`
    // invocation:"); what follows is the arguments.
    message: database ? (error.message.split("\n")[0] ?? "").slice(0, 200) : error.message.slice(0, 500),
  };
  if (typeof error.code === "string") logged.code = error.code;
  const constraint = constraintOf(error);
  if (constraint) logged.constraint = constraint;
  const model = (error.meta as { modelName?: unknown } | undefined)?.modelName;
  if (typeof model === "string") logged.model = model;
  const frames = framesOf(error.stack);
  if (frames) logged.stack = frames;
  if (error.cause !== undefined && depth < 3)
    logged.cause = serializeError(error.cause, depth + 1) as LoggedError;
  return logged;
}
