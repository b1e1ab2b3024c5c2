import { exportSPKI, generateKeyPair, type JWTPayload, SignJWT } from "jose";

type SigningKey = Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];

export interface TokenOptions {
  /** Seconds from now; negative for an already expired token. */
  expiresIn?: number;
  azp?: string;
  claims?: JWTPayload;
  /** Sign with this key instead of the instance's (a token from another Clerk instance). */
  signWith?: SigningKey;
}

/**
 * A Clerk instance of the test's own: a 2048-bit RSA pair whose public half the server receives as
 * CLERK_JWT_KEY, so session tokens are verified by Clerk's real code with no network.
 */
export async function createClerkInstance() {
  const { privateKey, publicKey } = await generateKeyPair("RS256", {
    modulusLength: 2048,
    extractable: true,
  });
  const now = () => Math.floor(Date.now() / 1000);
  return {
    publicKeyPem: await exportSPKI(publicKey),
    secretKey: "sk_test_0123456789abcdef0123456789abcdef",
    publishableKey: `pk_test_${Buffer.from("test-00.clerk.accounts.dev$").toString("base64")}`,
    async sessionToken(clerkUserId: string, options: TokenOptions = {}): Promise<string> {
      const issuedAt = now() - 5;
      return new SignJWT({
        sid: `sess_${clerkUserId}`,
        ...(options.azp ? { azp: options.azp } : {}),
        ...options.claims,
      })
        .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: "ins_test" })
        .setSubject(clerkUserId)
        .setIssuer("https://test-00.clerk.accounts.dev")
        .setIssuedAt(issuedAt)
        .setNotBefore(issuedAt)
        .setExpirationTime(now() + (options.expiresIn ?? 300))
        .sign(options.signWith ?? privateKey);
    },
    /**
     * A token from a Clerk JWT template (`getToken({ template })`): signed with the instance key, holding
     * Clerk's default template claims (azp, exp, iat, iss, jti, nbf, sub) and the template's own claims,
     * and, unlike a session token, no sid, v or other session claims.
     */
    async templateToken(
      clerkUserId: string,
      options: { azp?: string | null; claims?: JWTPayload; expiresIn?: number } = {},
    ): Promise<string> {
      const issuedAt = now() - 5;
      // Clerk puts the origin the token was requested from in azp; null: a token without one.
      const azp = options.azp === undefined ? "https://app.example.test" : options.azp;
      return new SignJWT({ ...(azp === null ? {} : { azp }), ...options.claims })
        .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: "ins_test" })
        .setSubject(clerkUserId)
        .setIssuer("https://test-00.clerk.accounts.dev")
        .setJti(`jti_${clerkUserId}_${issuedAt}`)
        .setIssuedAt(issuedAt)
        .setNotBefore(issuedAt)
        .setExpirationTime(now() + (options.expiresIn ?? 60))
        .sign(privateKey);
    },
  };
}

export type ClerkInstance = Awaited<ReturnType<typeof createClerkInstance>>;

/** The server variables that make a server trust this instance's tokens (e.g. a second server). */
export function clerkServerEnv(clerk: ClerkInstance) {
  return {
    CLERK_SECRET_KEY: clerk.secretKey,
    CLERK_PUBLISHABLE_KEY: clerk.publishableKey,
    CLERK_JWT_KEY: clerk.publicKeyPem,
  };
}

export async function foreignSigningKey(): Promise<SigningKey> {
  return (await generateKeyPair("RS256", { modulusLength: 2048 })).privateKey;
}
