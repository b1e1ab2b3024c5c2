import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { foreignSigningKey } from "./support/clerk-instance.js";
import { trpcError } from "./support/expect-trpc-error.js";
import { startTestServer, type TestServer } from "./support/test-server.js";

let server: TestServer;
let strict: TestServer;
beforeAll(async () => {
  [server, strict] = await Promise.all([
    startTestServer(),
    startTestServer({ CLERK_AUTHORIZED_PARTIES: "https://app.example.com, https://admin.example.com" }),
  ]);
});
afterAll(() => Promise.all([server?.close(), strict?.close()]));

const claims = { email: "auth@example.com" };

describe("Clerk session verification", () => {
  it("accepts a valid session token", async () => {
    const token = await server.clerk.sessionToken("user_auth_ok", { claims });
    expect((await server.client(token).users.me.query()).clerkUserId).toBe("user_auth_ok");
  });

  it.each([
    ["no token", async () => null],
    ["an expired token", async () => server.clerk.sessionToken("user_auth", { claims, expiresIn: -60 })],
    [
      "a token signed by another key",
      async () => server.clerk.sessionToken("user_auth", { claims, signWith: await foreignSigningKey() }),
    ],
    ["garbage", async () => "not.a.jwt"],
  ])("answers UNAUTHORIZED for %s", async (_name, token) => {
    expect((await trpcError(server.client(await token()).users.me.query())).code).toBe("UNAUTHORIZED");
  });

  it("answers repeated calls with one token as that token's user, and never another's", async () => {
    const ann = server.client(
      await server.clerk.sessionToken("user_auth_ann", { claims: { email: "ann@example.com" } }),
    );
    const bob = server.client(
      await server.clerk.sessionToken("user_auth_bob", { claims: { email: "bob@example.com" } }),
    );
    for (let round = 0; round < 3; round++) {
      const [a, b] = await Promise.all([ann.users.me.query(), bob.users.me.query()]);
      expect([a.clerkUserId, b.clerkUserId]).toEqual(["user_auth_ann", "user_auth_bob"]);
    }
  });

  it("checks azp against CLERK_AUTHORIZED_PARTIES when set", async () => {
    const good = await strict.clerk.sessionToken("user_azp", { claims, azp: "https://app.example.com" });
    const wrong = await strict.clerk.sessionToken("user_azp", { claims, azp: "https://evil.example.com" });
    expect((await strict.client(good).users.me.query()).clerkUserId).toBe("user_azp");
    expect((await trpcError(strict.client(wrong).users.me.query())).code).toBe("UNAUTHORIZED");
  });
});

describe("service keys", () => {
  it("accepts a configured key and refuses a wrong one", async () => {
    await server
      .client(server.serviceKey)
      .users.createFromClerk.mutate({ clerkUserId: "user_svc", email: "svc@example.com" });
    const wrong = server
      .client(`${server.serviceKey}x`)
      .users.createFromClerk.mutate({ clerkUserId: "user_svc2", email: "svc2@example.com" });
    expect((await trpcError(wrong)).code).toBe("UNAUTHORIZED");
    expect(await server.db.user.count({ where: { clerkUserId: "user_svc2" } })).toBe(0);
  });

  it("defaults to CLERK_SECRET_KEY when SERVICE_API_KEYS is unset, as the existing frontend calls", async () => {
    const legacy = await startTestServer({ SERVICE_API_KEYS: "" });
    try {
      const user = await legacy
        .client(legacy.clerk.secretKey)
        .users.createFromClerk.mutate({ clerkUserId: "user_legacy", email: "legacy@example.com" });
      expect(user.clerkUserId).toBe("user_legacy");
    } finally {
      await legacy.close();
    }
  });
});
