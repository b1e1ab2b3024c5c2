import { clerkMiddleware, createClerkClient, getAuth } from "@clerk/express";
import type { Caller, SessionClaims } from "@viewings/api";
import { clerkPersonName, clerkUserIdSchema } from "@viewings/validators";
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

/**
 * Reads the optional profile claims a Clerk session template can add (README: "Session token claims"),
 * under the webhook's rules: names cleaned and cut to their column, an unusable email ignored (the
 * profile is then read from Clerk), so odd claims never fail every request of the user.
 */
function profileClaims(claims: Record<string, unknown> | null | undefined): SessionClaims {
  if (!claims) return {};
  return {
    email: stringClaim(claims.email),
    firstName: clerkPersonName(claims.first_name) ?? undefined,
    lastName: clerkPersonName(claims.last_name) ?? undefined,
  };
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
 * Bearer only: Clerk's `__session` cookie is never read (the cookie header is dropped before Clerk
 * sees the request), so a page on another site cannot act with a signed-in visitor's cookies. Every
 * caller of this API (the frontend's server actions, services, VAPI) sends Authorization.
 */
export function createAuthenticate(
  config: ClerkConfig,
  serviceApiKeys: string[],
  clerkClient: ClerkClient,
): Authentication {
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
    if (!token) {
      res.locals.caller = { type: "anonymous" } satisfies Caller;
      return next();
    }
    const known = verified.get(token);
    if (known) {
      res.locals.caller = known;
      return next();
    }
    // Clerk's browser machinery stays out of an API: no cookie session, and no handshake redirect
    // (Clerk answers a page navigation with a rejected token by redirecting to its Frontend API).
    delete req.headers.cookie;
    req.headers["sec-fetch-dest"] = "empty";
    return clerk(req, res, (error?: unknown) => {
      if (error) return next(error);
      const auth = getAuth(req);
      // A user id no row can hold (NUL, longer than the column) is no usable identity.
      if (!auth.userId || !clerkUserIdSchema.safeParse(auth.userId).success) {
        res.locals.caller = { type: "anonymous" } satisfies Caller;
        return next();
      }
      const caller = {
        type: "user" as const,
        clerkUserId: auth.userId,
        claims: profileClaims(auth.sessionClaims),
      };
      if (auth.sessionClaims?.exp) verified.set(token, caller, auth.sessionClaims.exp);
      res.locals.caller = caller;
      next();
    });
  };
  const isVerifiedSession = (req: Request) => {
    const token = bearerToken(req);
    return token !== undefined && verified.get(token) !== undefined;
  };
  return { authenticate, isVerifiedSession };
}
