import { clerkMiddleware, createClerkClient, getAuth } from "@clerk/express";
import type { Caller, SessionClaims } from "@viewings/api";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import type { ClerkConfig } from "../config.js";
import { createServiceKeyMatcher } from "./service-keys.js";
import { VerifiedSessionCache } from "./verified-session-cache.js";

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

const stringClaim = (value: unknown) => (typeof value === "string" && value.length > 0 ? value : undefined);

/** Reads the optional profile claims a Clerk session template can add (README: "Session token claims"). */
function profileClaims(claims: Record<string, unknown> | null | undefined): SessionClaims {
  if (!claims) return {};
  return {
    email: stringClaim(claims.email),
    firstName: stringClaim(claims.first_name),
    lastName: stringClaim(claims.last_name),
  };
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

  const verified = new VerifiedSessionCache();

  const authenticate: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
    const token = bearerToken(req);
    const keyIndex = token ? matchServiceKey(token) : -1;
    if (keyIndex >= 0) {
      res.locals.caller = { type: "service", keyIndex } satisfies Caller;
      return next();
    }
    const known = token ? verified.get(token) : undefined;
    if (known) {
      res.locals.caller = known;
      return next();
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
      if (token && auth.sessionClaims?.exp) verified.set(token, caller, auth.sessionClaims.exp);
      res.locals.caller = caller;
      next();
    });
  };
  return authenticate;
}
