import { clerkMiddleware, createClerkClient, getAuth } from "@clerk/express";
import type { Caller } from "@viewings/api";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import type { ClerkConfig } from "../config.js";
import { createBearerSessionVerifier, profileClaims, sessionTokenInHeader } from "./bearer-session.js";
import { createServiceKeyMatcher } from "./service-keys.js";

export type ClerkClient = ReturnType<typeof createClerkClient>;

export function createClerkApiClient(config: ClerkConfig): ClerkClient {
  return createClerkClient({
    secretKey: config.secretKey,
    publishableKey: config.publishableKey,
    ...(config.jwtKey ? { jwtKey: config.jwtKey } : {}),
    ...(config.apiUrl ? { apiUrl: config.apiUrl } : {}),
    // Telemetry would call out to Clerk from development instances; this backend makes no such calls.
    telemetry: { disabled: true },
  });
}

function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  return header?.startsWith("Bearer ") ? header.slice(7).trim() : undefined;
}

export function callerOf(res: Response): Caller {
  return (res.locals.caller as Caller | undefined) ?? { type: "anonymous" };
}

/**
 * Establishes res.locals.caller: a service key holder, a Clerk-verified user, or anonymous. It never
 * rejects a request itself; procedures and routes decide what an anonymous caller may do.
 */
export function createAuthenticate(config: ClerkConfig, serviceApiKeys: string[], clerkClient: ClerkClient) {
  const matchServiceKey = createServiceKeyMatcher(serviceApiKeys);
  const clerk = clerkMiddleware({
    clerkClient,
    secretKey: config.secretKey,
    publishableKey: config.publishableKey,
    ...(config.jwtKey ? { jwtKey: config.jwtKey } : {}),
    ...(config.authorizedParties.length > 0 ? { authorizedParties: config.authorizedParties } : {}),
  });

  // Tokens in the Authorization header take Clerk's verification without the middleware around it;
  // requests without one (cookies, nothing) still go through clerkMiddleware.
  const verifyBearerSession = createBearerSessionVerifier(config);

  const authenticate: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
    const token = bearerToken(req);
    const keyIndex = token ? matchServiceKey(token) : -1;
    if (keyIndex >= 0) {
      res.locals.caller = { type: "service", keyIndex } satisfies Caller;
      return next();
    }
    const headerToken = sessionTokenInHeader(req.headers.authorization);
    if (headerToken !== undefined) {
      verifyBearerSession(headerToken).then((caller) => {
        res.locals.caller = caller;
        next();
      }, next);
      return;
    }
    return clerk(req, res, (error?: unknown) => {
      if (error) return next(error);
      const auth = getAuth(req);
      if (!auth.userId) {
        res.locals.caller = { type: "anonymous" } satisfies Caller;
        return next();
      }
      const caller = {
        type: "user" as const,
        clerkUserId: auth.userId,
        claims: profileClaims(auth.sessionClaims),
      };
      res.locals.caller = caller;
      next();
    });
  };
  return authenticate;
}
