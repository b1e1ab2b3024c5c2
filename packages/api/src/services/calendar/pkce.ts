import { createHash, randomBytes } from "node:crypto";

/** 32 random bytes, base64url: used for OAuth state values and PKCE verifiers (43 characters). */
export function randomUrlSafe(): string {
  return randomBytes(32).toString("base64url");
}

export function sha256Hex(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

/** RFC 7636 S256: base64url(sha256(verifier)). */
export function pkceChallenge(verifier: string): string {
  return createHash("sha256").update(verifier).digest("base64url");
}
