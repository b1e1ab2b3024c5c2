/**
 * The fast path for session tokens sent in the Authorization header: Clerk's own `verifyToken` (the
 * function clerkMiddleware ends up calling for header tokens) without the middleware's per-request
 * work (a Backend API client, a Fetch Request, five decodes of the token). It reproduces the steps
 * `authenticateRequest` + `getAuth` take for a header token, in the same order, so the verdict is
 * Clerk's (test/auth-parity.test.ts runs a table of tokens through both):
 * 1. the header is parsed as Clerk parses it ("Bearer <token>", or a bare token without a scheme);
 * 2. machine tokens (API keys, M2M, OAuth access tokens) are not session tokens: signed out;
 * 3. the JWT's `cat` header, when present, must be the session-token category;
 * 4. `verifyToken`: RS256 signature, exp/nbf/iat with Clerk's clock skew, sub, azp when configured;
 * 5. a session whose status is "pending" counts as signed out (getAuth's default).
 * A token that passed is remembered until its exp (VerifiedSessionCache), so the RSA check runs once
 * per token rather than once per request.
 */
import { verifyToken } from "@clerk/backend";
import { isMachineToken } from "@clerk/backend/internal";
import { decodeJwt } from "@clerk/backend/jwt";
import type { Caller, SessionClaims } from "@viewings/api";
import { clerkPersonName, clerkUserIdSchema } from "@viewings/validators";
import type { ClerkConfig } from "../config.js";
import { VerifiedSessionCache } from "./verified-session-cache.js";

type SignedInCaller = Extract<Caller, { type: "user" }>;

const anonymous: Caller = { type: "anonymous" };

// Clerk's JWT categories (the `cat` header): absent or one of these is a session token.
const sessionTokenCategories = new Set(["cl_B7d4PD111AAA", "cl_I7d4PD111III"]);

/**
 * The token Clerk reads from an Authorization header: the part after "Bearer ", the whole value when it
 * has no space (no scheme), and nothing for any other scheme. Undefined means "no token in the header".
 */
export function sessionTokenInHeader(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const [scheme, token] = header.split(" ", 2);
  if (!token) return scheme;
  return scheme === "Bearer" ? token : undefined;
}

const stringClaim = (value: unknown) => (typeof value === "string" && value.length > 0 ? value : undefined);

/**
 * Reads the optional profile claims a Clerk session template can add (README: "Session token claims"),
 * under the webhook's rules: names cleaned and cut to their column, an unusable email ignored (the
 * profile is then read from Clerk), so odd claims never fail every request of the user.
 */
function profileClaims(claims: Record<string, unknown>): SessionClaims {
  return {
    email: stringClaim(claims.email),
    firstName: clerkPersonName(claims.first_name) ?? undefined,
    lastName: clerkPersonName(claims.last_name) ?? undefined,
  };
}

/** A token that does not even decode passes here, as in Clerk: verifyToken refuses it next. */
function isSessionCategory(token: string): boolean {
  let category: string | undefined;
  try {
    category = decodeJwt(token).header.cat;
  } catch {
    return true;
  }
  return category === undefined || sessionTokenCategories.has(category);
}

export interface BearerSessionVerifier {
  verify(token: string): Promise<Caller>;
  /** Whether this process already verified the token (and it has not expired). */
  isVerified(token: string): boolean;
}

export function createBearerSessionVerifier(config: ClerkConfig): BearerSessionVerifier {
  const verified = new VerifiedSessionCache();
  const options = {
    secretKey: config.secretKey,
    ...(config.jwtKey ? { jwtKey: config.jwtKey } : {}),
    ...(config.apiUrl ? { apiUrl: config.apiUrl } : {}),
    ...(config.authorizedParties.length > 0 ? { authorizedParties: config.authorizedParties } : {}),
  };

  async function verify(token: string): Promise<Caller> {
    if (isMachineToken(token) || !isSessionCategory(token)) return anonymous;
    let claims: Awaited<ReturnType<typeof verifyToken>>;
    try {
      // The package's verifyToken throws where the internal one returns errors; every failure, of any
      // kind, is "signed out" in authenticateRequest too.
      claims = await verifyToken(token, options);
    } catch {
      return anonymous;
    }
    if (claims.sts === "pending") return anonymous;
    // A user id no row can hold (NUL, longer than the column) is no usable identity.
    if (!clerkUserIdSchema.safeParse(claims.sub).success) return anonymous;
    const caller: SignedInCaller = { type: "user", clerkUserId: claims.sub, claims: profileClaims(claims) };
    verified.set(token, caller, claims.exp);
    return caller;
  }

  return {
    verify(token) {
      const known = verified.get(token);
      return known ? Promise.resolve(known) : verify(token);
    },
    isVerified: (token) => verified.get(token) !== undefined,
  };
}
