import { type TRPC_ERROR_CODE_KEY, TRPCError } from "@trpc/server";
import { isDatabaseUnavailable } from "@viewings/db";
import { DomainError, type DomainErrorKind } from "../errors.js";

const codeByKind: Record<DomainErrorKind, TRPC_ERROR_CODE_KEY> = {
  not_found: "NOT_FOUND",
  conflict: "CONFLICT",
  forbidden: "FORBIDDEN",
  precondition_failed: "PRECONDITION_FAILED",
  bad_request: "BAD_REQUEST",
  too_many_requests: "TOO_MANY_REQUESTS",
  timeout: "TIMEOUT",
  unavailable: "SERVICE_UNAVAILABLE",
};

/** What callers are told while the database cannot be reached; the server answers 503 + Retry-After. */
export const databaseUnavailableMessage = "The database is temporarily unavailable; please try again shortly";

/**
 * Turns a DomainError thrown anywhere below into the matching tRPC error, and a lost database
 * connection into SERVICE_UNAVAILABLE (not an internal error: retrying later will work); everything
 * else passes.
 */
export function toTrpcError(error: TRPCError): TRPCError {
  const cause = error.cause;
  if (cause instanceof DomainError) {
    return new TRPCError({ code: codeByKind[cause.kind], message: cause.message, cause });
  }
  if (error.code === "INTERNAL_SERVER_ERROR" && isDatabaseUnavailable(cause)) {
    return new TRPCError({ code: "SERVICE_UNAVAILABLE", message: databaseUnavailableMessage, cause });
  }
  return error;
}
