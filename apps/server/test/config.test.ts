import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildConfig } from "../src/config.js";
import { envSchema, readEnv } from "../src/env.js";
import { createClerkInstance } from "./support/clerk-instance.js";
import { configError } from "./support/config-error.js";

const clerk = await createClerkInstance();
const keys = {
  CLERK_SECRET_KEY: clerk.secretKey,
  CLERK_PUBLISHABLE_KEY: clerk.publishableKey,
  CLERK_JWT_KEY: clerk.publicKeyPem,
};

describe("environment validation", () => {
  it("names a malformed variable", () => {
    expect(configError({ ...keys, PORT: "eighty" })).toContain("PORT");
    expect(configError({ ...keys, DATABASE_URL: "mysql://x" })).toContain("DATABASE_URL");
    expect(configError({ ...keys, CLERK_PUBLISHABLE_KEY: "pk_test_nope" })).toContain(
      "CLERK_PUBLISHABLE_KEY",
    );
    expect(configError({ ...keys, SERVICE_API_KEYS: "short" })).toContain("SERVICE_API_KEYS");
  });

  it("refuses a JWT key Clerk would silently fail to verify with", () => {
    expect(
      configError({
        ...keys,
        CLERK_JWT_KEY: "-----BEGIN RSA PUBLIC KEY-----\nabc\n-----END RSA PUBLIC KEY-----",
      }),
    ).toContain("CLERK_JWT_KEY");
  });

  it("accepts a PEM written on one line with literal \\n, as .env files hold it", () => {
    const config = buildConfig(readEnv({ ...keys, CLERK_JWT_KEY: clerk.publicKeyPem.replace(/\n/g, "\\n") }));
    expect(config.clerk.jwtKey).toBe(clerk.publicKeyPem.trim());
  });

  it("stops production without Clerk keys", () => {
    expect(configError({ NODE_ENV: "production" })).toMatch(
      /CLERK_SECRET_KEY, CLERK_PUBLISHABLE_KEY: required in production/,
    );
  });

  it("uses a generated development instance when no Clerk key is set outside production", () => {
    const dataDir = mkdtempSync(join(tmpdir(), "viewings-config-"));
    const first = buildConfig(readEnv({ NODE_ENV: "development", DATA_DIR: dataDir }));
    const second = buildConfig(readEnv({ NODE_ENV: "development", DATA_DIR: dataDir }));
    expect(first.clerk.devInstance).toBe(true);
    expect(second.clerk.jwtKey).toBe(first.clerk.jwtKey);
    expect(first.serviceApiKeys).toEqual([first.clerk.secretKey]);
  });

  it("refuses a half-configured Clerk instance", () => {
    expect(configError({ NODE_ENV: "development", CLERK_SECRET_KEY: clerk.secretKey })).toContain(
      "CLERK_PUBLISHABLE_KEY",
    );
  });
});

describe(".env.example", () => {
  it("documents every variable the server reads, and nothing else", () => {
    const example = readFileSync(new URL("../../../.env.example", import.meta.url), "utf8");
    const documented = [...example.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]).sort();
    expect(documented).toEqual(Object.keys(envSchema.shape).sort());
  });
});
