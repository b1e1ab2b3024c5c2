/**
 * Checks every request passes before a router sees it, so each door (tRPC, REST) applies one rule:
 * no NUL characters anywhere in the URL or body, JSON bodies bounded in size and nesting depth, and
 * mutations only from requests a browser cannot send cross-site without a CORS preflight.
 * Refusals are 4xx in our own words; no parser message is echoed.
 */
import express, { type RequestHandler, type Response } from "express";
import { describeJsonProblem, inspectJsonText, type JsonProblem } from "./json-inspection.js";

/** A client error in our words; `error` for /trpc-style readers, `message` for the old frontend's. */
export function sendClientError(res: Response, status: number, message: string) {
  res.status(status).json({ error: message, message });
}

function decodedOrNull(url: string): string | null {
  try {
    return decodeURIComponent(url);
  } catch {
    return null;
  }
}

/** A NUL in the path or query (%00) would reach PostgreSQL through path ids and query fields. */
export const refuseNulInUrl: RequestHandler = (req, res, next) => {
  const decoded = decodedOrNull(req.originalUrl);
  if (decoded === null) return sendClientError(res, 400, "The URL is not validly percent-encoded");
  if (decoded.includes("\u0000"))
    return sendClientError(res, 400, `url: ${describeJsonProblem("NUL character")}`);
  // tRPC queries carry JSON in ?input=: the same depth rule as bodies.
  const input = req.query.input;
  const problem = typeof input === "string" ? inspectJsonText(input) : null;
  if (problem) return sendClientError(res, 400, `input: ${describeJsonProblem(problem)}`);
  next();
};

class JsonBodyRefused extends Error {
  constructor(readonly problem: JsonProblem) {
    super(problem);
  }
}

/** How a door answers a body it refuses (REST answers invalid input its own way). */
export type RefuseBody = (res: Response, status: 400 | 413 | 415, field: "body", message: string) => void;

const refuseBodyPlainly: RefuseBody = (res, status, field, message) =>
  sendClientError(res, status, `${field}: ${message}`);

/** express.json with the inspection run on the raw text first and errors answered in our words. */
export function jsonBody(limit: string, refuse: RefuseBody = refuseBodyPlainly): RequestHandler {
  const parse = express.json({
    limit,
    verify(_req, _res, buffer) {
      const problem = inspectJsonText(buffer.toString("utf8"));
      if (problem) throw new JsonBodyRefused(problem);
    },
  });
  return (req, res, next) =>
    parse(req, res, (error?: unknown) => {
      if (!error) return next();
      if (error instanceof JsonBodyRefused)
        return refuse(res, 400, "body", describeJsonProblem(error.problem));
      const type = (error as { type?: string }).type;
      if (type === "entity.too.large") return refuse(res, 413, "body", `larger than ${limit}`);
      if (type === "entity.parse.failed") return refuse(res, 400, "body", "not valid JSON");
      if (type === "encoding.unsupported" || type === "charset.unsupported")
        return refuse(res, 415, "body", "send UTF-8 JSON");
      refuse(res, 400, "body", "could not be read");
    });
}

const mutations = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Read from the header itself: `req.is()` answers null for a request without a body, and the old
 * frontend's DELETE sends `Content-Type: application/json` with none.
 */
function isJsonMediaType(contentType: string): boolean {
  const mediaType = contentType.split(";", 1)[0]?.trim().toLowerCase() ?? "";
  return mediaType === "application/json" || /^application\/[\w.+-]+\+json$/.test(mediaType);
}

/**
 * A mutation's body, when it has one, must be JSON: text/plain, form and multipart bodies are what a
 * page on another site can send without a CORS preflight, so they are refused (415) before a route
 * reads any query parameter. A mutation without a body type acts only with an Authorization header
 * (the API is bearer-only), which itself forces a preflight. The old frontend sends
 * `Content-Type: application/json` with its bearer on every call.
 */
export const requireJsonMutations: RequestHandler = (req, res, next) => {
  if (!mutations.has(req.method)) return next();
  const contentType = req.headers["content-type"];
  if (contentType === undefined || isJsonMediaType(contentType)) return next();
  sendClientError(res, 415, "Content-Type must be application/json for this request");
};
