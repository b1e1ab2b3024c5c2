import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import type { Response } from "express";

/** A field the caller sent wrong, named as the caller sent it. */
export interface FieldProblem {
  field: string;
  message: string;
}

interface IssueLike {
  path: ReadonlyArray<PropertyKey>;
  message: string;
}

const camelToSnake = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/** Names a procedure's input path in the REST caller's terms: an explicit rename, else snake_case. */
export function wireFieldName(path: string, renames: Record<string, string> = {}): string {
  return renames[path] ?? path.split(".").map(camelToSnake).join(".");
}

function issuesOf(cause: unknown): IssueLike[] | undefined {
  if (typeof cause !== "object" || cause === null || !("issues" in cause)) return undefined;
  return Array.isArray(cause.issues) ? (cause.issues as IssueLike[]) : undefined;
}

export function fieldProblems(issues: IssueLike[], renames?: Record<string, string>): FieldProblem[] {
  return issues.map((issue) => ({
    field: wireFieldName(issue.path.map(String).join(".") || "input", renames),
    message: issue.message,
  }));
}

/** 422 `{success: false, error, fields}`: every wrong field named, as FastAPI answered invalid input. */
export function sendInvalidInput(res: Response, problems: FieldProblem[]): void {
  const error = `Invalid input: ${problems.map((p) => `${p.field}: ${p.message}`).join("; ")}`;
  res.status(422).json({ success: false, error, fields: problems });
}

/** 401 exactly as the old FastAPI backend answered a missing or rejected credential. */
export function sendUnauthorized(res: Response): void {
  res.status(401).set("www-authenticate", "Bearer").json({ detail: "Unauthorized" });
}

/** A domain error's message ("userId: required ...") with its leading field renamed for the wire. */
function renameLeadingField(message: string, renames?: Record<string, string>): FieldProblem | undefined {
  const match = /^([A-Za-z][\w.]*): (.+)$/.exec(message);
  if (!match?.[1] || !match[2]) return undefined;
  return { field: wireFieldName(match[1], renames), message: match[2] };
}

/**
 * Answers a failed procedure call with the HTTP status of its tRPC code, never 200: BAD_REQUEST is 422
 * naming the fields, UNAUTHORIZED (a caller holding the wrong kind of credential) is 403. Internal
 * errors are logged and answered without their message.
 */
export function sendProcedureError(
  res: Response,
  error: unknown,
  options: { renames?: Record<string, string>; onInternal: (error: unknown) => void },
): void {
  if (!(error instanceof TRPCError)) {
    options.onInternal(error);
    res.status(500).json({ success: false, error: "Internal server error" });
    return;
  }
  if (error.code === "BAD_REQUEST") {
    const issues = issuesOf(error.cause);
    const problem = issues ? undefined : renameLeadingField(error.message, options.renames);
    sendInvalidInput(
      res,
      issues
        ? fieldProblems(issues, options.renames)
        : [problem ?? { field: "input", message: error.message }],
    );
    return;
  }
  if (error.code === "UNAUTHORIZED") {
    // Anonymous callers were answered 401 before the call: this caller holds the wrong kind of credential.
    res.status(403).json({ success: false, error: error.message, code: "FORBIDDEN" });
    return;
  }
  const status = getHTTPStatusCodeFromError(error);
  if (status >= 500 && error.code === "INTERNAL_SERVER_ERROR") {
    options.onInternal(error.cause ?? error);
    res.status(500).json({ success: false, error: "Internal server error", code: error.code });
    return;
  }
  // 503 (database or another dependency down): `message` is what the old frontend shows.
  const message = status === 503 ? { message: error.message } : {};
  res.status(status).json({ success: false, error: error.message, code: error.code, ...message });
}
