import { createHash, randomBytes } from "node:crypto";

/** A new per-agent webhook secret; only its SHA-256 is stored. */
export function issueWebhookSecret(): { secret: string; hash: string } {
  const secret = `vapi_${randomBytes(32).toString("base64url")}`;
  return { secret, hash: hashWebhookSecret(secret) };
}

/**
 * A presented secret is looked up by this hash (an index lookup, not a constant-time compare): the
 * secrets are 256 random bits, so how quickly hashes compare tells nothing that helps guess one.
 */
export function hashWebhookSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}
