import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Request, RequestHandler } from "express";
import type { Logger } from "../logger.js";

const acceptableRequestId = /^[\w.-]{1,64}$/;

interface RequestLogState {
  base: Logger;
  id: string;
  child?: Logger;
}

const states = new WeakMap<IncomingMessage, RequestLogState>();

/** Only the path: query strings carry OAuth codes and states, headers carry credentials. */
const describe = (req: Request, id: string) => ({
  id,
  method: req.method,
  path: req.originalUrl.split("?")[0],
});

/**
 * The request's logger, carrying its id, method and path. Made on first use: pino serialises and
 * redacts a child's bindings when it is created, which cost more than the rest of a webhook
 * delivery's logging, and most requests never log anything but their access line.
 */
export function logOf(req: Request): Logger {
  const state = states.get(req);
  if (!state) throw new Error("logOf() before the request logger ran");
  state.child ??= state.base.child({ req: describe(req, state.id) });
  return state.child;
}

/**
 * JSON access logs with a request id (the caller's X-Request-Id when sane, else a new one, echoed
 * back): one line per request when it ends, at info (error for 5xx, warn when the client went away
 * first). Nothing is built for a line the level does not write.
 */
export function createRequestLogger(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    const incoming = req.headers["x-request-id"];
    const id = typeof incoming === "string" && acceptableRequestId.test(incoming) ? incoming : randomUUID();
    res.setHeader("x-request-id", id);
    states.set(req, { base: logger, id });
    res.once("close", () => {
      const finished = res.writableFinished;
      const level = !finished ? "warn" : res.statusCode >= 500 ? "error" : "info";
      if (!logger.isLevelEnabled(level)) return;
      const responseTime = Math.round(performance.now() - started);
      logOf(req)[level](
        { res: { statusCode: res.statusCode }, responseTime },
        finished ? "request completed" : "request aborted",
      );
    });
    next();
  };
}
