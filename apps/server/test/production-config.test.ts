import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { createClerkInstance } from "./support/clerk-instance.js";
import { newWebhookSecret } from "./support/svix.js";

const clerk = await createClerkInstance();
const complete = {
  NODE_ENV: "production",
  DATABASE_URL: "postgresql://app@db.internal:5432/viewings",
  CLERK_SECRET_KEY: clerk.secretKey,
  CLERK_PUBLISHABLE_KEY: clerk.publishableKey,
  CLERK_JWT_KEY: clerk.publicKeyPem,
  CLERK_AUTHORIZED_PARTIES: "https://app.example.com",
  CLERK_WEBHOOK_SIGNING_SECRET: newWebhookSecret(),
  FRONTEND_URL: "https://app.example.com",
  PUBLIC_URL: "https://api.example.com",
  TOKEN_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString("base64")}`,
};

function startupError(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    return (error as Error).message;
  }
  return expect.fail("expected start-up to stop");
}

describe("production configuration", () => {
  it("starts with a complete production environment", () => {
    const config = loadConfig(complete);
    expect(config.clerk.authorizedParties).toEqual(["https://app.example.com"]);
    expect(config.migrateOnStart).toBe(false);
  });

  it("lists every problem in one message, malformed and missing alike", () => {
    const message = startupError({
      NODE_ENV: "production",
      PORT: "eighty",
      CLERK_SECRET_KEY: "x",
      FRONTEND_URL: "http://app.example.com",
      PUBLIC_URL: "http://api.example.com",
      METRICS_TOKEN: "short",
    });
    const problems = message.split("\n").slice(1);
    for (const name of [
      "PORT",
      "CLERK_SECRET_KEY",
      "METRICS_TOKEN",
      "CLERK_PUBLISHABLE_KEY",
      "CLERK_WEBHOOK_SIGNING_SECRET",
      "TOKEN_ENCRYPTION_KEYS",
      "CLERK_AUTHORIZED_PARTIES",
      "FRONTEND_URL",
      "PUBLIC_URL",
    ]) {
      expect(
        problems.some((line) => line.trim().startsWith(name)),
        `${name} in:\n${message}`,
      ).toBe(true);
    }
  });

  it("refuses short service keys, including CLERK_SECRET_KEY standing in for them", () => {
    expect(startupError({ ...complete, SERVICE_API_KEYS: "0123456789abcdef0123" })).toContain(
      "SERVICE_API_KEYS: each key must be at least 32 characters",
    );
    const shortSecret = startupError({ ...complete, CLERK_SECRET_KEY: "sk_test_short" });
    expect(shortSecret).toMatch(
      /CLERK_SECRET_KEY: is the service key while SERVICE_API_KEYS is unset, so it must be at least 32/,
    );
    expect(() =>
      loadConfig({ ...complete, CLERK_SECRET_KEY: "sk_test_short", SERVICE_API_KEYS: "k".repeat(32) }),
    ).not.toThrow();
  });

  it("needs CLERK_AUTHORIZED_PARTIES or the explicit opt-out *", () => {
    expect(startupError({ ...complete, CLERK_AUTHORIZED_PARTIES: "" })).toContain(
      "CLERK_AUTHORIZED_PARTIES: required in production",
    );
    expect(loadConfig({ ...complete, CLERK_AUTHORIZED_PARTIES: "*" }).clerk.authorizedParties).toEqual([]);
  });

  it("refuses non-https public URLs and CORS origins", () => {
    const message = startupError({
      ...complete,
      CORS_ORIGINS: "https://ok.example.com,http://plain.example.com",
    });
    expect(message).toContain("CORS_ORIGINS: must use https:// in production (got http://plain.example.com)");
  });
});
