import type { RequestHandler } from "express";
import onHeaders from "on-headers";

/**
 * clerkMiddleware explains every rejected token in x-clerk-auth-* response headers (expected
 * authorized parties, the server's clock): useful to an attacker, useless to our callers, who get
 * 401 in our words. Removed from every response just before its headers are written.
 */
export const stripClerkHeaders: RequestHandler = (_req, res, next) => {
  onHeaders(res, () => {
    for (const name of res.getHeaderNames()) if (name.startsWith("x-clerk-")) res.removeHeader(name);
  });
  next();
};
