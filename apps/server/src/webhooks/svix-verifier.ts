import { Webhook, WebhookVerificationError } from "svix";

export type SvixVerification =
  | { ok: true; svixId: string }
  | { ok: false; reason: "missing svix headers" | "invalid signature" | "timestamp outside tolerance" };

type HeaderValue = string | string[] | undefined;

/** The three headers Svix signs with; anything else in the request plays no part in verification. */
function svixHeaders(headers: Record<string, HeaderValue>) {
  const one = (value: HeaderValue) => (Array.isArray(value) ? value.join(" ") : value);
  return {
    "svix-id": one(headers["svix-id"]),
    "svix-timestamp": one(headers["svix-timestamp"]),
    "svix-signature": one(headers["svix-signature"]),
  };
}

function reasonOf(error: unknown): Exclude<SvixVerification, { ok: true }>["reason"] {
  if (!(error instanceof WebhookVerificationError)) throw error;
  if (/timestamp too (old|new)/i.test(error.message)) return "timestamp outside tolerance";
  if (/missing required headers/i.test(error.message)) return "missing svix headers";
  return "invalid signature";
}

/**
 * Verifies a delivery with svix against each configured secret in turn, so that during a secret
 * rotation deliveries signed with either the old or the new secret are accepted. The body must be the
 * exact bytes received: any re-serialisation changes the signed content.
 */
export function createSvixVerifier(secrets: readonly string[]) {
  const webhooks = secrets.map((secret) => new Webhook(secret));
  return (rawBody: Buffer, headers: Record<string, HeaderValue>): SvixVerification => {
    const signed = svixHeaders(headers);
    if (!signed["svix-id"] || !signed["svix-timestamp"] || !signed["svix-signature"]) {
      return { ok: false, reason: "missing svix headers" };
    }
    let reason: Exclude<SvixVerification, { ok: true }>["reason"] = "invalid signature";
    for (const webhook of webhooks) {
      try {
        webhook.verify(rawBody, signed as Record<string, string>);
        return { ok: true, svixId: signed["svix-id"] };
      } catch (error) {
        reason = reasonOf(error);
        // The timestamp is checked before the signature, and the same way for every secret.
        if (reason === "timestamp outside tolerance") break;
      }
    }
    return { ok: false, reason };
  };
}
