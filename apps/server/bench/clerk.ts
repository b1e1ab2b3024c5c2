import { exportSPKI, generateKeyPair, SignJWT } from "jose";

/** A throwaway Clerk instance for the benchmark: the server verifies its tokens with CLERK_JWT_KEY. */
export async function createBenchClerk() {
  const { privateKey, publicKey } = await generateKeyPair("RS256", {
    modulusLength: 2048,
    extractable: true,
  });
  const secretKey = "sk_test_bench_0123456789abcdef0123";
  return {
    secretKey,
    serverEnv: {
      CLERK_SECRET_KEY: secretKey,
      CLERK_PUBLISHABLE_KEY: `pk_test_${Buffer.from("bench-00.clerk.accounts.dev$").toString("base64")}`,
      CLERK_JWT_KEY: await exportSPKI(publicKey),
    },
    sessionToken(clerkUserId: string): Promise<string> {
      return new SignJWT({ sid: `sess_${clerkUserId}` })
        .setProtectedHeader({ alg: "RS256" })
        .setSubject(clerkUserId)
        .setIssuedAt()
        .setExpirationTime("30m")
        .sign(privateKey);
    },
  };
}
