import { randomBytes } from "node:crypto";

/** One AES-256 key and the id written into every ciphertext it makes, so keys can rotate. */
export interface EncryptionKey {
  id: string;
  key: Buffer;
}

/** The first key encrypts; every key decrypts (old ciphertexts stay readable while being rotated out). */
export interface Keyring {
  current: EncryptionKey;
  byId: ReadonlyMap<string, EncryptionKey>;
}

const keyIdPattern = /^[A-Za-z0-9_-]{1,32}$/;

export class KeyringError extends Error {
  override name = "KeyringError";
}

/**
 * Parses `k2:<base64 32 bytes>,k1:<base64 32 bytes>` (first = current). Messages name the offending
 * key id, never key material.
 */
export function parseKeyring(spec: string): Keyring {
  const entries = spec
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new KeyringError("must list at least one key as <id>:<base64 key>");
  const byId = new Map<string, EncryptionKey>();
  for (const [index, entry] of entries.entries()) {
    const separator = entry.indexOf(":");
    const id = separator > 0 ? entry.slice(0, separator) : "";
    if (!keyIdPattern.test(id)) {
      throw new KeyringError(
        `entry ${index + 1} must be <id>:<base64 key> with an id of letters, digits, _ or -`,
      );
    }
    const key = Buffer.from(entry.slice(separator + 1), "base64");
    if (key.length !== 32) throw new KeyringError(`key "${id}" must be 32 bytes, base64-encoded`);
    if (byId.has(id)) throw new KeyringError(`key id "${id}" appears twice`);
    byId.set(id, { id, key });
  }
  const current = byId.get(entries[0]?.split(":")[0] ?? "");
  if (!current) throw new KeyringError("no current key");
  return { current, byId };
}

/** A keyring spec holding one fresh random key, for development and test set-ups. */
export function generateKeyringSpec(id = `k${Date.now().toString(36)}`): string {
  return `${id}:${randomBytes(32).toString("base64")}`;
}
