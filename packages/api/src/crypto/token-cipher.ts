import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { Keyring } from "./keyring.js";

const algorithm = "aes-256-gcm";
const version = "v1";
const nonceBytes = 12;
const tagBytes = 16;

export class DecryptionError extends Error {
  override name = "DecryptionError";
}

export interface Decrypted {
  plaintext: string;
  /** Encrypted under a key other than the current one: write it back re-encrypted. */
  stale: boolean;
}

/**
 * AES-256-GCM for secrets stored in the database. Format: `v1.<keyId>.<nonce>.<ciphertext>.<tag>`
 * (base64url parts). The associated data names the row and field (e.g.
 * `user_calendar_connections:<userId>:<provider>:access_token`), so a ciphertext copied into another
 * row or column fails to decrypt instead of handing one user's token to another.
 */
export class TokenCipher {
  constructor(private readonly keyring: Keyring) {}

  encrypt(plaintext: string, associatedData: string): string {
    const { id, key } = this.keyring.current;
    const nonce = randomBytes(nonceBytes);
    const cipher = createCipheriv(algorithm, key, nonce, { authTagLength: tagBytes });
    cipher.setAAD(Buffer.from(associatedData, "utf8"));
    const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return [version, id, nonce, ciphertext, cipher.getAuthTag()]
      .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
      .join(".");
  }

  decrypt(value: string, associatedData: string): Decrypted {
    const [ver, keyId, nonce, ciphertext, tag, ...rest] = value.split(".");
    if (ver !== version || !keyId || !nonce || ciphertext === undefined || !tag || rest.length > 0) {
      throw new DecryptionError("not a token ciphertext");
    }
    const entry = this.keyring.byId.get(keyId);
    if (!entry) throw new DecryptionError(`encrypted with unknown key "${keyId}"`);
    try {
      const decipher = createDecipheriv(algorithm, entry.key, Buffer.from(nonce, "base64url"), {
        authTagLength: tagBytes,
      });
      decipher.setAAD(Buffer.from(associatedData, "utf8"));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      const plaintext = Buffer.concat([
        decipher.update(Buffer.from(ciphertext, "base64url")),
        decipher.final(),
      ]).toString("utf8");
      return { plaintext, stale: keyId !== this.keyring.current.id };
    } catch (cause) {
      throw new DecryptionError("ciphertext does not authenticate (wrong key, row or field)", { cause });
    }
  }

  /** The key id a ciphertext was made with (for tests and operators; reveals nothing secret). */
  static keyIdOf(value: string): string | undefined {
    return value.split(".")[1];
  }
}
