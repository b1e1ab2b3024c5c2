import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * A stand-in Clerk instance for a first run with no Clerk keys: a local RSA key pair the server trusts
 * and `pnpm dev:token` signs with. Never used when NODE_ENV=production.
 */
export interface DevClerkInstance {
  privateKeyPem: string;
  publicKeyPem: string;
  secretKey: string;
  publishableKey: string;
}

const fileName = "dev-clerk-instance.json";

export function devClerkInstancePath(dataDir: string): string {
  return join(dataDir, fileName);
}

export function loadDevClerkInstance(dataDir: string): DevClerkInstance | null {
  const path = devClerkInstancePath(dataDir);
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as DevClerkInstance) : null;
}

export function loadOrCreateDevClerkInstance(dataDir: string): DevClerkInstance {
  const existing = loadDevClerkInstance(dataDir);
  if (existing) return existing;
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const instance: DevClerkInstance = {
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    secretKey: `sk_test_dev_${randomBytes(24).toString("hex")}`,
    publishableKey: `pk_test_${Buffer.from("local-dev.clerk.accounts.dev$").toString("base64")}`,
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(devClerkInstancePath(dataDir), JSON.stringify(instance, null, 2), { mode: 0o600 });
  return instance;
}
