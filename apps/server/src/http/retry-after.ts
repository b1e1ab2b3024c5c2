import type { ServerResponse } from "node:http";
import type { RequestHandler } from "express";
import onHeaders from "on-headers";

/** Seconds a client should wait before retrying a 503 (a database restart or failover takes a few). */
export const retryAfterSeconds = 5;

/**
 * Every 503 this server sends says when to retry, whichever route produced it (tRPC, REST, webhooks),
 * so the decision lives here and not in each route.
 */
export const retryAfterOnUnavailable: RequestHandler = (_req, res, next) => {
  onHeaders(res, function setRetryAfter(this: ServerResponse) {
    if (this.statusCode === 503 && !this.getHeader("retry-after"))
      this.setHeader("retry-after", String(retryAfterSeconds));
  });
  next();
};
