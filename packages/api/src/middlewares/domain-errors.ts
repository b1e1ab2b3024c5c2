import { type TRPC_ERROR_CODE_KEY, TRPCError } from "@trpc/server";
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

/** Turns a DomainError thrown anywhere below into the matching tRPC error; everything else passes. */
export function toTrpcError(error: TRPCError): TRPCError {
  const cause = error.cause;
  if (!(cause instanceof DomainError)) return error;
  return new TRPCError({ code: codeByKind[cause.kind], message: cause.message, cause });
}
