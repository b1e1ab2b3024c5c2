/**
 * Domain errors: what services throw when a request cannot be honoured. They carry no HTTP or tRPC
 * knowledge; the middleware in middlewares/domain-errors.ts maps each kind to a tRPC error code.
 */
export type DomainErrorKind =
  | "not_found"
  | "conflict"
  | "forbidden"
  | "precondition_failed"
  | "bad_request"
  | "too_many_requests"
  | "timeout"
  | "unavailable";

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "DomainError";
  }
}

export const notFound = (message: string) => new DomainError("not_found", message);
export const conflict = (message: string) => new DomainError("conflict", message);
export const forbidden = (message: string) => new DomainError("forbidden", message);
