import { Prisma } from "./generated/prisma/client.js";

/**
 * Whether an error means "the database cannot be reached right now" (down, restarting, refusing or
 * dropping connections, pool exhausted) rather than "this query is wrong". Callers answer the first
 * kind with 503 + Retry-After; the pool reconnects by itself once the database is back.
 *
 * The same outage surfaces in several shapes, so the error, its causes and Prisma's driver-adapter
 * details are all inspected.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const current = queue.shift();
    if (typeof current !== "object" || current === null || seen.has(current)) continue;
    seen.add(current);
    if (describesOutage(current)) return true;
    const { cause, meta } = current as { cause?: unknown; meta?: { driverAdapterError?: unknown } };
    queue.push(cause, meta?.driverAdapterError);
  }
  return false;
}

// Prisma: can't reach server, timed out, server closed the connection, pool timeout.
const prismaOutageCodes = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
// @prisma/adapter-pg's classification of driver errors (DriverAdapterError.cause.kind).
const adapterOutageKinds = new Set([
  "DatabaseNotReachable",
  "ConnectionClosed",
  "SocketTimeout",
  "TooManyConnections",
]);
const socketCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
  "EHOSTUNREACH",
]);
// node-postgres' own messages when a connection dies or the pool cannot get one in time.
const driverMessages =
  /Connection terminated|timeout exceeded when trying to connect|connection error|Client was closed/i;

function isPostgresOutageCode(code: string): boolean {
  // 08: connection exception; 57P01-57P03: shutting down / cannot connect now; 53300: too many connections.
  return /^08[0-9A-Z]{3}$/.test(code) || /^57P0[1-3]$/.test(code) || code === "53300";
}

function describesOutage(candidate: object): boolean {
  if (candidate instanceof Prisma.PrismaClientInitializationError) return true;
  const { code, kind, message } = candidate as { code?: unknown; kind?: unknown; message?: unknown };
  if (candidate instanceof Prisma.PrismaClientKnownRequestError && prismaOutageCodes.has(candidate.code))
    return true;
  if (typeof kind === "string") {
    if (adapterOutageKinds.has(kind)) return true;
    if (kind === "postgres" && typeof code === "string" && isPostgresOutageCode(code)) return true;
  }
  if (typeof code === "string" && (socketCodes.has(code) || isPostgresOutageCode(code))) return true;
  return typeof message === "string" && driverMessages.test(message);
}
