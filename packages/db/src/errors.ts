import { Prisma } from "./generated/prisma/client.js";

/**
 * Name of the unique constraint a write violated, or undefined for any other error.
 * With driver adapters Prisma reports it under meta.driverAdapterError, not meta.target.
 */
export function violatedUniqueConstraint(error: unknown): string | undefined {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== "P2002") return undefined;
  const meta = error.meta as
    | { target?: unknown; driverAdapterError?: { cause?: { constraint?: { index?: string } | string } } }
    | undefined;
  const constraint = meta?.driverAdapterError?.cause?.constraint;
  if (typeof constraint === "string") return constraint;
  if (constraint?.index) return constraint.index;
  return Array.isArray(meta?.target) ? meta.target.join(",") : undefined;
}

/**
 * Whether a write violated an exclusion constraint (SQLSTATE 23P01), e.g. two live bookings of one
 * owner overlapping. Prisma has no code of its own for it: the driver adapter's original code tells.
 */
export function violatedExclusionConstraint(error: unknown): boolean {
  const meta = (error as { meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } }).meta;
  const cause = (error as { cause?: { originalCode?: unknown } }).cause;
  return meta?.driverAdapterError?.cause?.originalCode === "23P01" || cause?.originalCode === "23P01";
}
