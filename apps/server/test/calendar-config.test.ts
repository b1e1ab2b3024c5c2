import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateKeyringSpec } from "@viewings/api";
import { describe, expect, it } from "vitest";
import { buildConfig } from "../src/config.js";
import { readEnv } from "../src/env.js";
import { createClerkInstance } from "./support/clerk-instance.js";
import { configError } from "./support/config-error.js";

const clerk = await createClerkInstance();
const base = {
  CLERK_SECRET_KEY: clerk.secretKey,
  CLERK_PUBLISHABLE_KEY: clerk.publishableKey,
  CLERK_JWT_KEY: clerk.publicKeyPem,
  // Production also needs the Clerk webhook secret; calendar checks come after it.
  CLERK_WEBHOOK_SIGNING_SECRET: `whsec_${Buffer.from("0123456789abcdef0123456789abcdef").toString("base64")}`,
};
const tempDir = () => mkdtempSync(join(tmpdir(), "viewings-calendar-config-"));

describe("calendar configuration", () => {
  it("stops production without TOKEN_ENCRYPTION_KEYS", () => {
    expect(configError({ ...base, NODE_ENV: "production", DATA_DIR: tempDir() })).toMatch(
      /TOKEN_ENCRYPTION_KEYS: required in production/,
    );
  });

  it.each([
    ["no id", "c2VjcmV0"],
    ["short key", `k1:${Buffer.alloc(16).toString("base64")}`],
    ["duplicate id", `${generateKeyringSpec("k1")},${generateKeyringSpec("k1")}`],
  ])("refuses a malformed keyring (%s) without printing key material", (_name, spec) => {
    const message = configError({ ...base, NODE_ENV: "test", TOKEN_ENCRYPTION_KEYS: spec });
    expect(message).toContain("TOKEN_ENCRYPTION_KEYS");
    expect(message).not.toContain(spec.split(":")[1] ?? spec);
  });

  it("generates a development keyring into the data folder once and reuses it", () => {
    const dataDir = tempDir();
    const first = buildConfig(readEnv({ ...base, NODE_ENV: "development", DATA_DIR: dataDir }));
    const second = buildConfig(readEnv({ ...base, NODE_ENV: "development", DATA_DIR: dataDir }));
    const path = join(dataDir, "token-encryption-keys");
    expect(existsSync(path)).toBe(true);
    expect(statSync(path).mode & 0o077).toBe(0);
    expect(first.calendar.generatedKeyringPath).toBe(path);
    expect(second.calendar.keyring.current.key.equals(first.calendar.keyring.current.key)).toBe(true);
    expect(readFileSync(path, "utf8")).toMatch(/^dev1:/);
  });

  it("reports providers without a client id as unconfigured and refuses half a credential", () => {
    const config = buildConfig(
      readEnv({ ...base, NODE_ENV: "test", TOKEN_ENCRYPTION_KEYS: generateKeyringSpec() }),
    );
    expect(config.calendar.microsoft).toBeUndefined();
    expect(config.calendar.google).toBeUndefined();
    expect(
      configError({
        ...base,
        NODE_ENV: "test",
        TOKEN_ENCRYPTION_KEYS: generateKeyringSpec(),
        GOOGLE_CLIENT_ID: "x",
      }),
    ).toContain("GOOGLE_CLIENT_SECRET");
  });

  it("defaults the Microsoft tenant and base URLs, and always allows the frontend origin", () => {
    const config = buildConfig(
      readEnv({
        ...base,
        NODE_ENV: "test",
        TOKEN_ENCRYPTION_KEYS: generateKeyringSpec(),
        MICROSOFT_CLIENT_ID: "id",
        MICROSOFT_CLIENT_SECRET: "secret",
        FRONTEND_URL: "https://app.example.com/",
        CORS_ORIGINS: "https://admin.example.com",
      }),
    );
    expect(config.calendar.microsoft).toMatchObject({
      tenant: "common",
      loginUrl: "https://login.microsoftonline.com",
      graphUrl: "https://graph.microsoft.com/v1.0",
    });
    expect(config.web.corsOrigins).toEqual(["https://app.example.com", "https://admin.example.com"]);
    expect(configError({ ...base, CORS_ORIGINS: "https://app.example.com/path" })).toContain("CORS_ORIGINS");
  });

  it("requires PUBLIC_URL and FRONTEND_URL in production once a provider is configured", () => {
    const message = configError({
      ...base,
      NODE_ENV: "production",
      TOKEN_ENCRYPTION_KEYS: generateKeyringSpec(),
      GOOGLE_CLIENT_ID: "id",
      GOOGLE_CLIENT_SECRET: "secret",
    });
    expect(message).toContain("PUBLIC_URL");
  });
});
