import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generateKeyringSpec, type Keyring, KeyringError, parseKeyring } from "@viewings/api";
import { ConfigError } from "../env.js";

const fileName = "token-encryption-keys";

export function devTokenKeysPath(dataDir: string): string {
  return join(dataDir, fileName);
}

/**
 * The keyring that encrypts OAuth tokens. Production must set TOKEN_ENCRYPTION_KEYS; development and
 * tests generate one into the data folder (never committed) so a first run needs no set-up. Created
 * with O_EXCL so two processes starting together end up sharing one key instead of overwriting.
 */
export function loadTokenKeyring(
  spec: string | undefined,
  nodeEnv: string,
  dataDir: string,
): { keyring: Keyring; generatedAt?: string } {
  if (spec) return { keyring: parse(spec, "TOKEN_ENCRYPTION_KEYS") };
  if (nodeEnv === "production") {
    throw new ConfigError(
      "Invalid environment:\n  TOKEN_ENCRYPTION_KEYS: required in production (e.g. k1:<base64 of 32 random bytes>; `openssl rand -base64 32`)",
    );
  }
  const path = devTokenKeysPath(dataDir);
  mkdirSync(dataDir, { recursive: true });
  try {
    writeFileSync(path, `${generateKeyringSpec("dev1")}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  return { keyring: parse(readFileSync(path, "utf8").trim(), path), generatedAt: path };
}

function parse(spec: string, source: string): Keyring {
  try {
    return parseKeyring(spec);
  } catch (error) {
    if (!(error instanceof KeyringError)) throw error;
    throw new ConfigError(`Invalid environment:\n  ${source}: ${error.message}`);
  }
}
