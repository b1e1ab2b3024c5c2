import { generateKeyringSpec } from "@viewings/api";
import {
  type FakeGoogle,
  type FakeMicrosoft,
  followAuthorization,
  followCallback,
  startFakeGoogle,
  startFakeMicrosoft,
} from "@viewings/calendar-sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { confirmLanding } from "./support/confirm-connection.js";
import { trpcError } from "./support/expect-trpc-error.js";
import { startTestServer, type TestServer } from "./support/test-server.js";

const frontend = "https://app.viewings.test";
let microsoft: FakeMicrosoft;
let google: FakeGoogle;
let server: TestServer;
/** A server with no provider configured at all. */
let bare: TestServer;
/** A server where the old frontend's flows need a confirmation too (CALENDAR_LEGACY_CONNECT=confirm). */
let confirming: TestServer;

beforeAll(async () => {
  [microsoft, google] = await Promise.all([startFakeMicrosoft(), startFakeGoogle()]);
  const common = { FRONTEND_URL: frontend, CORS_ORIGINS: "https://admin.viewings.test" };
  const withProviders = {
    ...common,
    ...microsoft.env,
    ...google.env,
    TOKEN_ENCRYPTION_KEYS: generateKeyringSpec("t1"),
  };
  [server, bare, confirming] = await Promise.all([
    startTestServer(withProviders),
    startTestServer({ ...common, TOKEN_ENCRYPTION_KEYS: generateKeyringSpec("t1") }),
    startTestServer({ ...withProviders, CALENDAR_LEGACY_CONNECT: "confirm" }),
  ]);
});
afterAll(() =>
  Promise.all([server?.close(), bare?.close(), confirming?.close(), microsoft?.close(), google?.close()]),
);

async function signedIn(name: string, on: TestServer = server) {
  const client = await on.clientFor(name);
  const me = await client.users.me.query();
  return { client, me };
}

async function rawConnectionRows(userId: string) {
  return server.db.$queryRaw<Array<Record<string, unknown>>>`
    SELECT * FROM user_calendar_connections WHERE user_id = ${userId}::uuid`;
}

async function expectNothingStored(userId: string) {
  expect(await rawConnectionRows(userId)).toHaveLength(0);
  const user = await server.db.user.findUniqueOrThrow({ where: { id: userId } });
  expect(user.microsoftCalendarConnected || user.googleCalendarConnected).toBe(false);
}

describe("connect through the real callback route", () => {
  it("Microsoft: PKCE S256 authorize URL, code exchange, Graph email, encrypted tokens, flag set", async () => {
    const { client, me } = await signedIn("user_cal_ms");
    const { authorizationUrl } = await client.calendar.connect.mutate({ provider: "microsoft" });
    const authorize = new URL(authorizationUrl);
    expect(authorize.origin + authorize.pathname).toBe(`${microsoft.url}/common/oauth2/v2.0/authorize`);
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize.searchParams.get("scope")).toContain("offline_access");
    expect(authorize.searchParams.get("redirect_uri")).toMatch(
      /^http:\/\/localhost:\d+\/oauth\/microsoft\/callback$/,
    );

    const { landing } = await followAuthorization(authorizationUrl);
    expect(landing.origin + landing.pathname).toBe(`${frontend}/users`);
    expect(landing.searchParams.get("auth")).toBe("confirm");
    expect(await rawConnectionRows(me.id)).toHaveLength(0);
    expect(await confirmLanding(client, landing)).toMatchObject({ provider: "microsoft", connected: true });

    const [status] = await client.calendar.status.query();
    expect(status).toMatchObject({
      provider: "microsoft",
      available: true,
      connected: true,
      accountEmail: "landlord@contoso.example",
      needsReconnect: false,
    });
    expect(Date.parse(status?.expiresAt ?? "")).toBeGreaterThan(Date.now() + 3000_000);
    expect((await client.users.me.query()).microsoftCalendarConnected).toBe(true);
    expect((await client.users.me.query()).googleCalendarConnected).toBe(false);

    const rows = await rawConnectionRows(me.id);
    expect(rows).toHaveLength(1);
    const dump = JSON.stringify(rows);
    for (const token of microsoft.state.issued) expect(dump).not.toContain(token);
    expect(String(rows[0]?.access_token)).toMatch(/^v1\.t1\./);
    expect(String(rows[0]?.refresh_token)).toMatch(/^v1\.t1\./);
  });

  it("Google: offline access with consent prompt, userinfo email, tokens encrypted", async () => {
    const { client, me } = await signedIn("user_cal_google");
    const returnTo = `${frontend}/settings/calendars?tab=google`;
    const { authorizationUrl } = await client.calendar.connect.mutate({ provider: "google", returnTo });
    const authorize = new URL(authorizationUrl);
    expect(authorize.searchParams.get("access_type")).toBe("offline");
    expect(authorize.searchParams.get("prompt")).toBe("consent");
    expect(authorize.searchParams.get("scope")).toContain("openid email");

    const { landing } = await followAuthorization(authorizationUrl);
    expect(landing.origin + landing.pathname).toBe(`${frontend}/settings/calendars`);
    expect(landing.searchParams.get("tab")).toBe("google");
    await confirmLanding(client, landing);

    const status = (await client.calendar.status.query()).find((entry) => entry.provider === "google");
    expect(status).toMatchObject({
      connected: true,
      accountEmail: "owner@gmail.example",
      needsReconnect: false,
    });
    expect((await client.users.me.query()).googleCalendarConnected).toBe(true);
    const dump = JSON.stringify(await rawConnectionRows(me.id));
    for (const token of google.state.issued) expect(dump).not.toContain(token);
  });

  it("stores the PKCE verifier encrypted and only a hash of the state", async () => {
    const { client, me } = await signedIn("user_cal_pkce");
    const { authorizationUrl } = await client.calendar.connect.mutate({ provider: "google" });
    const url = new URL(authorizationUrl);
    const [row] = await server.db.$queryRaw<Array<{ state_hash: string; code_verifier: string }>>`
      SELECT state_hash, code_verifier FROM oauth_states WHERE user_id = ${me.id}::uuid`;
    expect(row?.state_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row?.state_hash).not.toBe(url.searchParams.get("state"));
    expect(row?.code_verifier).toMatch(/^v1\.t1\./);
  });

  it("status never carries a token", async () => {
    const { client } = await signedIn("user_cal_ms");
    const json = JSON.stringify(await client.calendar.status.query());
    for (const token of [...microsoft.state.issued, ...google.state.issued])
      expect(json).not.toContain(token);
    expect(json).not.toMatch(/v1\.t1\./);
    expect(json).not.toMatch(/token/i);
  });
});

describe("state checks: nothing is stored for a refused callback", () => {
  async function startFlow(name: string, provider: "microsoft" | "google" = "microsoft") {
    const { client, me } = await signedIn(name);
    const { authorizationUrl } = await client.calendar.connect.mutate({ provider });
    const authorize = await fetch(authorizationUrl, { redirect: "manual" });
    return { client, me, callbackUrl: new URL(authorize.headers.get("location") ?? "") };
  }

  it("refuses a forged state", async () => {
    const { me, callbackUrl } = await startFlow("user_state_forged");
    callbackUrl.searchParams.set("state", "forged-state-value-that-was-never-issued-by-us");
    const landing = await followCallback(callbackUrl);
    expect(landing.searchParams.get("auth")).toBe("error");
    expect(landing.origin + landing.pathname).toBe(`${frontend}/users`);
    await expectNothingStored(me.id);
  });

  it("refuses a missing state", async () => {
    const { me, callbackUrl } = await startFlow("user_state_missing");
    callbackUrl.searchParams.delete("state");
    expect((await followCallback(callbackUrl)).searchParams.get("auth")).toBe("error");
    await expectNothingStored(me.id);
  });

  it("refuses a replayed state: the first use connects, the second is refused", async () => {
    const { client, me, callbackUrl } = await startFlow("user_state_replay");
    await confirmLanding(client, await followCallback(callbackUrl));
    await server.client(server.serviceKey).calendar.setStatus.mutate({
      provider: "microsoft",
      connected: false,
      userId: me.id,
    });
    const replay = await followCallback(callbackUrl);
    expect(replay.searchParams.get("auth")).toBe("error");
    expect(replay.searchParams.get("message")).toMatch(/already used/);
    await expectNothingStored(me.id);
  });

  it("refuses an expired state", async () => {
    const { me, callbackUrl } = await startFlow("user_state_expired");
    await server.db.oAuthState.updateMany({
      where: { userId: me.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const landing = await followCallback(callbackUrl);
    expect(landing.searchParams.get("message")).toMatch(/expired/);
    await expectNothingStored(me.id);
  });

  it("refuses another user's state with this user's code (PKCE binds the code to its own flow)", async () => {
    const alice = await startFlow("user_state_alice");
    const mallory = await startFlow("user_state_mallory");
    const mixed = new URL(mallory.callbackUrl);
    mixed.searchParams.set("state", alice.callbackUrl.searchParams.get("state") ?? "");
    const landing = await followCallback(mixed);
    expect(landing.searchParams.get("auth")).toBe("error");
    await expectNothingStored(alice.me.id);
    await expectNothingStored(mallory.me.id);
  });

  it("refuses a state issued for the other provider", async () => {
    const { me, callbackUrl } = await startFlow("user_state_provider", "microsoft");
    const onGoogle = new URL(callbackUrl);
    onGoogle.pathname = "/oauth/google/callback";
    expect((await followCallback(onGoogle)).searchParams.get("auth")).toBe("error");
    await expectNothingStored(me.id);
  });

  it("redirects with auth=error when the user declines consent (error=access_denied)", async () => {
    const { client, me } = await signedIn("user_state_denied");
    google.denyNextAuthorization();
    const { authorizationUrl } = await client.calendar.connect.mutate({ provider: "google" });
    const { landing } = await followAuthorization(authorizationUrl);
    expect(landing.searchParams.get("auth")).toBe("error");
    expect(landing.searchParams.get("message")).toBe("Access was not granted");
    await expectNothingStored(me.id);
  });
});

describe("connect-link hijack (issue 11, observation 1)", () => {
  it("a link started by one user and finished in another's browser attaches nothing to either", async () => {
    const attacker = await signedIn("user_hijack_attacker");
    const victim = await signedIn("user_hijack_victim");
    const { authorizationUrl } = await attacker.client.calendar.connect.mutate({ provider: "microsoft" });
    // The victim opens the forwarded link and consents with their own provider account.
    const landlord = microsoft.state.account;
    microsoft.state.account = { mail: "victim@contoso.example", userPrincipalName: "victim@contoso.example" };
    const { landing } = await followAuthorization(authorizationUrl).finally(() => {
      microsoft.state.account = landlord;
    });
    expect(landing.searchParams.get("auth")).toBe("confirm");
    // The landing page runs in the victim's browser, signed in as the victim: refused.
    const refused = await trpcError(confirmLanding(victim.client, landing));
    expect(refused.data?.code).toBe("FORBIDDEN");
    // The code is burnt: even the attacker, had they seen it, cannot use it any more.
    const replay = await trpcError(confirmLanding(attacker.client, landing));
    expect(replay.data?.code).toBe("BAD_REQUEST");
    await expectNothingStored(attacker.me.id);
    await expectNothingStored(victim.me.id);
    const [status] = await attacker.client.calendar.status.query();
    expect(status).toMatchObject({ connected: false, accountEmail: null });
  });

  it("refuses unknown and expired confirmation codes without attaching anything", async () => {
    const { client, me } = await signedIn("user_confirm_expired");
    const { authorizationUrl } = await client.calendar.connect.mutate({ provider: "microsoft" });
    const { landing } = await followAuthorization(authorizationUrl);
    await server.db.pendingCalendarConnection.updateMany({
      where: { userId: me.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect((await trpcError(confirmLanding(client, landing))).data?.code).toBe("BAD_REQUEST");
    const unknown = client.calendar.confirmConnection.mutate({ code: "A".repeat(43) });
    expect((await trpcError(unknown)).message).toMatch(/unknown or expired/);
    await expectNothingStored(me.id);
  });
});

describe("flows the old frontend starts (GET /calendar/auth/start)", () => {
  async function legacyStart(on: TestServer, clerkUserId: string) {
    const token = await on.clerk.sessionToken(clerkUserId, {
      claims: { email: `${clerkUserId}@example.com` },
    });
    const start = await fetch(`${on.url}/calendar/auth/start?redirect_url=${encodeURIComponent(frontend)}`, {
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      redirect: "manual",
    });
    expect(start.status).toBe(307);
    return { token, authorizationUrl: start.headers.get("location") ?? "" };
  }

  it("with CALENDAR_LEGACY_CONNECT=confirm, are parked like every flow: only the starter can confirm", async () => {
    const attacker = await legacyStart(confirming, "user_legacy_attacker");
    const { landing } = await followAuthorization(attacker.authorizationUrl);
    expect(landing.searchParams.get("auth")).toBe("confirm");
    const victim = await confirming.clientFor("user_legacy_victim");
    expect((await trpcError(confirmLanding(victim, landing))).data?.code).toBe("FORBIDDEN");
    const attackerClient = confirming.client(attacker.token);
    expect((await attackerClient.calendar.status.query())[0]?.connected).toBe(false);

    const owner = await legacyStart(confirming, "user_legacy_owner");
    const ownerLanding = (await followAuthorization(owner.authorizationUrl)).landing;
    const ownerClient = confirming.client(owner.token);
    expect(await confirmLanding(ownerClient, ownerLanding)).toMatchObject({
      provider: "microsoft",
      connected: true,
    });
  });

  it("by default (direct), attach in the callback as the old backend did: the documented residual risk", async () => {
    const { token, authorizationUrl } = await legacyStart(server, "user_legacy_direct");
    const { landing } = await followAuthorization(authorizationUrl);
    expect(landing.searchParams.get("auth")).toBe("success");
    expect((await server.client(token).calendar.status.query())[0]?.connected).toBe(true);
  });
});

describe("connect input and availability", () => {
  it("refuses a returnTo outside the allowed frontend origins, naming returnTo", async () => {
    const { client } = await signedIn("user_cal_return");
    const error = await trpcError(
      client.calendar.connect.mutate({ provider: "google", returnTo: "https://evil.example.com/users" }),
    );
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toContain("returnTo");
    const ok = await client.calendar.connect.mutate({
      provider: "google",
      returnTo: "https://admin.viewings.test/back",
    });
    expect(ok.authorizationUrl).toContain(google.url);
  });

  it("requires a signed-in user", async () => {
    expect((await trpcError(server.client().calendar.connect.mutate({ provider: "google" }))).code).toBe(
      "UNAUTHORIZED",
    );
  });

  it("an unconfigured provider is unavailable in status and connect answers PRECONDITION_FAILED", async () => {
    const { client } = await signedIn("user_cal_bare", bare);
    const status = await client.calendar.status.query();
    expect(status.map((entry) => [entry.provider, entry.available, entry.connected])).toEqual([
      ["microsoft", false, false],
      ["google", false, false],
    ]);
    const error = await trpcError(client.calendar.connect.mutate({ provider: "microsoft" }));
    expect(error.code).toBe("PRECONDITION_FAILED");
    expect(error.message).toContain("MICROSOFT_CLIENT_ID");
  });

  it("allows the frontend origins through CORS on /trpc", async () => {
    const preflight = await fetch(`${server.url}/trpc/calendar.status`, {
      method: "OPTIONS",
      headers: {
        origin: frontend,
        "access-control-request-method": "GET",
        "access-control-request-headers": "authorization",
      },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBe(frontend);
    const foreign = await fetch(`${server.url}/trpc/calendar.status`, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example.com", "access-control-request-method": "GET" },
    });
    expect(foreign.headers.get("access-control-allow-origin")).toBeNull();
  });
});
