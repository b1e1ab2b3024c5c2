import type { Caller } from "@viewings/api";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import type { ClerkConfig } from "../config.js";
import { createBearerSessionVerifier, sessionTokenInHeader } from "./bearer-session.js";
import { createServiceKeyMatcher } from "./service-keys.js";

function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  return header?.startsWith("Bearer ") ? header.slice(7).trim() : undefined;
}

export function callerOf(res: Response): Caller {
  return (res.locals.caller as Caller | undefined) ?? { type: "anonymous" };
}

export interface Authentication {
  authenticate: RequestHandler;
  /** True when the request's bearer is a session token this process already verified (a proven credential). */
  isVerifiedSession(req: Request): boolean;
}

/**
 * Establishes res.locals.caller: a service key holder, a Clerk-verified user, or anonymous. It never
 * rejects a request itself; procedures and routes decide what an anonymous caller may do.
 *
 * Bearer only: a session travels in the Authorization header and is verified by Clerk's own
 * `verifyToken` (bearer-session.ts). Clerk's `__session` cookie is never read, so a page on another
 * site cannot act with a signed-in visitor's cookies; every caller of this API (the frontend's server
 * actions, services, VAPI) sends Authorization.
 */
export function createAuthenticate(config: ClerkConfig, serviceApiKeys: string[]): Authentication {
  const matchServiceKey = createServiceKeyMatcher(serviceApiKeys);
  const sessions = createBearerSessionVerifier(config);

  const authenticate: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
    const token = bearerToken(req);
    const keyIndex = token ? matchServiceKey(token) : -1;
    if (keyIndex >= 0) {
      res.locals.caller = { type: "service", keyIndex } satisfies Caller;
      return next();
    }
    const sessionToken = sessionTokenInHeader(req.headers.authorization);
    if (sessionToken === undefined) {
      res.locals.caller = { type: "anonymous" } satisfies Caller;
      return next();
    }
    sessions.verify(sessionToken).then((caller) => {
      res.locals.caller = caller;
      next();
    }, next);
  };
  const isVerifiedSession = (req: Request) => {
    const sessionToken = sessionTokenInHeader(req.headers.authorization);
    return sessionToken !== undefined && sessions.isVerified(sessionToken);
  };
  return { authenticate, isVerifiedSession };
}
