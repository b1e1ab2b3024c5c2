import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** A new per-agent webhook secret; only its SHA-256 is stored. */
export function issueWebhookSecret(): { secret: string; hash: string } {
  const secret = `vapi_${randomBytes(32).toString("base64url")}`;
  return { secret, hash: hashWebhookSecret(secret) };
}

export function hashWebhookSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/** Constant-time comparison of a presented secret against a stored hash. */
export function webhookSecretMatches(presented: string, storedHash: string): boolean {
  const expected = Buffer.from(storedHash, "hex");
  const actual = createHash("sha256").update(presented).digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
