/**
 * An Express handler for a tRPC router built on tRPC's own `resolveResponse`, the function every tRPC
 * adapter calls. The express adapter wraps each call in a full Fetch Request (a Headers copy of every
 * header, a URL, a body stream) and pipes the Response back through a WritableStream; measured, that
 * costs as much as the procedure itself. Here resolveResponse reads a small request object over the
 * IncomingMessage, and a JSON answer is written with one res.end. Routing, batching, input parsing,
 * errors and status codes are all still tRPC's, so the answers are the same bytes.
 *
 * Requests resolveResponse would read as anything but JSON (form data, octet streams) take tRPC's own
 * Fetch Request instead, and a streamed answer (JSONL, SSE) is piped as the adapter pipes it.
 */
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import type { AnyTRPCRouter } from "@trpc/server";
import { incomingMessageToRequest, internal_exceptionHandler } from "@trpc/server/adapters/node-http";
import { resolveResponse } from "@trpc/server/http";
import type { Request as ExpressRequest, Response as ExpressResponse, RequestHandler } from "express";

type ResolveOptions = Parameters<typeof resolveResponse<AnyTRPCRouter>>[0];
type Info = Parameters<ResolveOptions["createContext"]>[0]["info"];
type ErrorOptions = Parameters<NonNullable<ResolveOptions["onError"]>>[0];

export interface LeanTrpcHandlerOptions<TRouter extends AnyTRPCRouter> {
  router: TRouter;
  createContext(opts: { req: ExpressRequest; res: ExpressResponse; info: Info }): unknown;
  /** As the adapters call it: with the Node request in `req`. */
  onError?(opts: Omit<ErrorOptions, "req"> & { req: ExpressRequest }): void;
  /** tRPC's cap on the number of calls in one batch (resolveResponse's own option). */
  maxBatchSize?: number;
}

/** The parts of a Fetch Headers object resolveResponse and its content-type handlers read. */
class NodeHeaders {
  constructor(private readonly raw: ExpressRequest["headers"]) {}
  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(", ") : value;
  }
  has(name: string): boolean {
    return this.raw[name.toLowerCase()] !== undefined;
  }
}

/** GETs, and JSON bodies a JSON parser in front has already read into req.body. */
function isParsedJsonRequest(req: ExpressRequest): boolean {
  if (req.method === "GET" || req.method === "HEAD") return true;
  const contentType = req.headers["content-type"]?.split(";", 1)[0]?.trim().toLowerCase();
  return contentType === "application/json" && req.body !== undefined;
}

/**
 * The signal aborts when the client goes away before the answer is written, as the adapter's does.
 * The body is the one express.json() parsed (re-serialised, as the adapter re-serialises it).
 */
function leanRequest(req: ExpressRequest, res: ExpressResponse): Request {
  const controller = new AbortController();
  res.once("close", () => {
    if (!res.writableEnded) controller.abort();
  });
  const body: unknown = req.body;
  return {
    method: req.method,
    // Only the query string is read from it; a fixed origin cannot make it an invalid URL.
    url: `http://localhost${req.url}`,
    headers: new NodeHeaders(req.headers),
    signal: controller.signal,
    text: async () => (typeof body === "string" ? body : JSON.stringify(body)),
    // tRPC 11.22 reads JSON bodies with json(): hand over what express.json() parsed.
    json: async () => body,
  } as unknown as Request;
}

async function writeResponse(response: Response, res: ExpressResponse): Promise<void> {
  if (res.statusCode === 200) res.statusCode = response.status;
  response.headers.forEach((value, key) => {
    res.setHeader(key, value);
  });
  if (!response.body) {
    res.end();
    return;
  }
  if (response.headers.get("content-type")?.startsWith("application/json")) {
    res.end(await response.text());
    return;
  }
  // Streams (JSONL batches, subscriptions): chunk by chunk, like the adapter.
  await new Promise<void>((resolve, reject) => {
    Readable.fromWeb(response.body as WebReadableStream)
      .on("error", reject)
      .pipe(res)
      .on("finish", resolve)
      .on("error", reject);
  });
}

export function createLeanTrpcHandler<TRouter extends AnyTRPCRouter>(
  options: LeanTrpcHandlerOptions<TRouter>,
): RequestHandler {
  const { router, onError } = options;
  return (req, res) => {
    const path = req.path.slice(req.path.lastIndexOf("/") + 1);
    const fail = internal_exceptionHandler({ router, req, res, path, onError } as never);
    const request = isParsedJsonRequest(req)
      ? leanRequest(req, res)
      : incomingMessageToRequest(req, res, { maxBodySize: null });
    resolveResponse({
      router,
      req: request,
      path,
      error: null,
      ...(options.maxBatchSize === undefined ? {} : { maxBatchSize: options.maxBatchSize }),
      createContext: ({ info }) => Promise.resolve(options.createContext({ req, res, info })),
      onError: onError ? (o) => onError({ ...o, req }) : undefined,
    } as ResolveOptions)
      .then((response) => writeResponse(response, res))
      .catch(fail);
  };
}
