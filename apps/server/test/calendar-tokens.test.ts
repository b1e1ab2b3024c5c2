// The token service against the real test database and the loopback providers, with services built
// directly (as a second server process would build its own).
import {
  type CalendarDependencies,
  createGoogleProvider,
  createMicrosoftProvider,
  createServices,
  generateKeyringSpec,
  parseKeyring,
  type Services,
  TokenCipher,
} from "@viewings/api";
import {
  type FakeGoogle,
  type FakeMicrosoft,
  startFakeGoogle,
  startFakeMicrosoft,
} from "@viewings/calendar-sandbox";
import { createDatabase, type Database } from "@viewings/db";
import { createTestDatabase, type TestDatabase } from "@viewings/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

type Provider = "microsoft" | "google";

let database: TestDatabase;
let microsoft: FakeMicrosoft;
let google: FakeGoogle;
const databases: Database[] = [];
const k1 = generateKeyringSpec("k1");
const k2 = generateKeyringSpec("k2");

beforeAll(async () => {
  [database, microsoft, google] = await Promise.all([
    createTestDatabase(),
    startFakeMicrosoft(),
    startFakeGoogle(),
  ]);
});
afterAll(async () => {
  await Promise.all(databases.map((db) => db.$disconnect()));
  await Promise.all([microsoft?.close(), google?.close()]);
  await database?.drop();
});

/** A service graph with its own connection pool: what one server process holds. */
function instance(
  keyring = k1,
  extra: Partial<CalendarDependencies> = {},
): { services: Services; db: Database } {
  const db = createDatabase(database.url, { poolSize: 4 });
  databases.push(db);
  const timeoutMs = 5_000;
  const calendar: CalendarDependencies = {
    providers: {
      microsoft: createMicrosoftProvider({
        clientId: microsoft.env.MICROSOFT_CLIENT_ID,
        clientSecret: microsoft.env.MICROSOFT_CLIENT_SECRET,
        tenant: "common",
        loginUrl: microsoft.env.MICROSOFT_LOGIN_URL,
        graphUrl: microsoft.env.MICROSOFT_GRAPH_URL,
        timeoutMs,
      }),
      google: createGoogleProvider({
        clientId: google.env.GOOGLE_CLIENT_ID,
        clientSecret: google.env.GOOGLE_CLIENT_SECRET,
        authUrl: google.env.GOOGLE_AUTH_URL,
        tokenUrl: google.env.GOOGLE_TOKEN_URL,
        revokeUrl: google.env.GOOGLE_REVOKE_URL,
        apiUrl: google.env.GOOGLE_API_URL,
        timeoutMs,
      }),
    },
    keyring: parseKeyring(keyring),
    publicUrl: () => "http://127.0.0.1:9",
    frontendUrl: "https://app.viewings.test",
    allowedReturnOrigins: ["https://app.viewings.test"],
    providerTimeoutMs: timeoutMs,
    ...extra,
  };
  return {
    services: createServices({
      db,
      clerkProfiles: { fetchProfile: async () => null },
      calendar,
      events: { defaultTimeZone: "America/Chicago", cacheTtlMs: 60_000, providerDeadlineMs: 8_000 },
      voiceAgent: { matchGlobalSecret: () => false, deadlineMs: 15_000 },
    }),
    db,
  };
}

let main: ReturnType<typeof instance>;
beforeAll(() => {
  main = instance();
});

let userCounter = 0;
async function newUser(): Promise<string> {
  userCounter += 1;
  const user = await main.db.user.create({
    data: { clerkUserId: `user_tokens_${userCounter}`, email: `tokens${userCounter}@example.com` },
  });
  return user.id;
}

/** Runs the whole connect flow against the fake, completes it and confirms it through the service. */
async function connect(services: Services, userId: string, provider: Provider) {
  const url = await services.calendar.auth.connect(userId, provider);
  const authorize = await fetch(url, { redirect: "manual" });
  const callback = new URL(authorize.headers.get("location") ?? "");
  const result = await services.calendar.auth.completeCallback(provider, {
    code: callback.searchParams.get("code") ?? undefined,
    state: callback.searchParams.get("state") ?? undefined,
  });
  expect(result.ok).toBe(true);
  const code = new URL(result.redirectTo).searchParams.get("confirmation") ?? "";
  await services.calendar.auth.confirmConnection(userId, code);
}

async function row(userId: string, provider: Provider) {
  return main.db.userCalendarConnection.findUniqueOrThrow({
    where: { userId_provider: { userId, provider } },
  });
}

/** Makes the stored access token look like it expires in `seconds`. */
async function expireIn(userId: string, provider: Provider, seconds: number) {
  await main.db.userCalendarConnection.update({
    where: { userId_provider: { userId, provider } },
    data: { expiresAt: new Date(Date.now() + seconds * 1000) },
  });
}

function decryptStored(
  value: string | null,
  userId: string,
  provider: Provider,
  field: string,
  keyring = k1,
) {
  return new TokenCipher(parseKeyring(keyring)).decrypt(
    value ?? "",
    `user_calendar_connections:${userId}:${provider}:${field}`,
  ).plaintext;
}

const lastIssued = (fake: { state: { issued: string[] } }, prefix: string) =>
  fake.state.issued.filter((token) => token.startsWith(prefix)).at(-1);

describe("getAccessToken", () => {
  it("forgets a recently handed-out token as soon as this process disconnects the calendar", async () => {
    const userId = await newUser();
    await connect(main.services, userId, "google");
    await main.services.calendar.tokens.getAccessToken(userId, "google");
    await main.services.calendar.connections.disconnect(userId, "google");
    await expect(main.services.calendar.tokens.getAccessToken(userId, "google")).rejects.toThrow(
      /No Google calendar is connected/,
    );
  });

  it("reuses a recently handed-out token for a while, then reads the row again", async () => {
    const quick = instance(k1, { recentTokenMaxAgeMs: 200 });
    const userId = await newUser();
    await connect(quick.services, userId, "google");
    const first = await quick.services.calendar.tokens.getAccessToken(userId, "google");
    // Another instance disconnects: this one keeps the token it just used for at most the max age.
    await main.db.userCalendarConnection.deleteMany({ where: { userId } });
    expect(await quick.services.calendar.tokens.getAccessToken(userId, "google")).toBe(first);
    await new Promise((resolve) => setTimeout(resolve, 250));
    await expect(quick.services.calendar.tokens.getAccessToken(userId, "google")).rejects.toThrow(
      /No Google calendar is connected/,
    );
  });

  it("hands out the stored token while more than 60 s are left, without a token request", async () => {
    const userId = await newUser();
    await connect(main.services, userId, "microsoft");
    const before = microsoft.refreshRequests();
    await expireIn(userId, "microsoft", 5 * 60);
    expect(await main.services.calendar.tokens.getAccessToken(userId, "microsoft")).toBe(
      lastIssued(microsoft, "ms-at-"),
    );
    expect(microsoft.refreshRequests()).toBe(before);
  });

  it("refreshes ahead of expiry and stores Microsoft's rotated refresh token", async () => {
    const userId = await newUser();
    await connect(main.services, userId, "microsoft");
    const firstRefresh = decryptStored(
      (await row(userId, "microsoft")).refreshToken,
      userId,
      "microsoft",
      "refresh_token",
    );
    const before = microsoft.refreshRequests();
    await expireIn(userId, "microsoft", 30);

    const token = await main.services.calendar.tokens.getAccessToken(userId, "microsoft");
    expect(token).toBe(lastIssued(microsoft, "ms-at-"));
    expect(microsoft.refreshRequests()).toBe(before + 1);
    const stored = await row(userId, "microsoft");
    const rotated = decryptStored(stored.refreshToken, userId, "microsoft", "refresh_token");
    expect(rotated).not.toBe(firstRefresh);
    expect(rotated).toBe(lastIssued(microsoft, "ms-rt-"));
    expect(stored.expiresAt?.getTime()).toBeGreaterThan(Date.now() + 3000_000);

    // The stored (rotated) refresh token is the one that works next time.
    await expireIn(userId, "microsoft", 10);
    await main.services.calendar.tokens.getAccessToken(userId, "microsoft");
    expect((await row(userId, "microsoft")).needsReconnect).toBe(false);
  });

  it("keeps Google's refresh token when the refresh answer omits one", async () => {
    const userId = await newUser();
    await connect(main.services, userId, "google");
    const original = decryptStored(
      (await row(userId, "google")).refreshToken,
      userId,
      "google",
      "refresh_token",
    );
    await expireIn(userId, "google", 30);
    const token = await main.services.calendar.tokens.getAccessToken(userId, "google");
    expect(token).toBe(lastIssued(google, "ya29.g-at-"));
    expect(decryptStored((await row(userId, "google")).refreshToken, userId, "google", "refresh_token")).toBe(
      original,
    );
  });

  it("20 concurrent calls needing a refresh cause exactly one token request", async () => {
    const userId = await newUser();
    await connect(main.services, userId, "microsoft");
    await expireIn(userId, "microsoft", 30);
    microsoft.state.refreshDelayMs = 150;
    const before = microsoft.refreshRequests();
    try {
      const tokens = await Promise.all(
        Array.from({ length: 20 }, () => main.services.calendar.tokens.getAccessToken(userId, "microsoft")),
      );
      expect(new Set(tokens).size).toBe(1);
      expect(microsoft.refreshRequests()).toBe(before + 1);
    } finally {
      microsoft.state.refreshDelayMs = 0;
    }
  });

  it("a caller stops waiting for a refresh at its own deadline; the refresh still lands", async () => {
    const userId = await newUser();
    await connect(main.services, userId, "microsoft");
    await expireIn(userId, "microsoft", 30);
    const before = microsoft.refreshRequests();
    // The token endpoint answers within the 5 s HTTP timeout, but after the caller's deadline.
    microsoft.state.refreshDelayMs = 1_500;
    try {
      const booking = AbortSignal.timeout(200);
      await expect(
        main.services.calendar.tokens.getAccessToken(userId, "microsoft", booking),
      ).rejects.toMatchObject({ kind: "timeout", message: "Microsoft did not answer in time" });
      expect(booking.aborted).toBe(true);
      // The refresh was not cut off: Microsoft's rotated refresh token is stored, not lost.
      const storedRefreshToken = async () =>
        decryptStored((await row(userId, "microsoft")).refreshToken, userId, "microsoft", "refresh_token");
      const spent = await storedRefreshToken();
      await expect.poll(storedRefreshToken, { timeout: 10_000 }).not.toBe(spent);
      expect(await storedRefreshToken()).toBe(lastIssued(microsoft, "ms-rt-"));
    } finally {
      microsoft.state.refreshDelayMs = 0;
    }
    expect(microsoft.refreshRequests()).toBe(before + 1);
    expect((await row(userId, "microsoft")).needsReconnect).toBe(false);
    await main.services.calendar.tokens.getAccessToken(userId, "microsoft");
    expect(microsoft.refreshRequests()).toBe(before + 1);
  });

  it("two service instances (separate pools, as two processes) refresh once and keep the rotated token", async () => {
    const userId = await newUser();
    await connect(main.services, userId, "microsoft");
    const other = instance();
    await expireIn(userId, "microsoft", 30);
    microsoft.state.refreshDelayMs = 150;
    const before = microsoft.refreshRequests();
    try {
      const tokens = await Promise.all(
        Array.from({ length: 10 }, (_, index) =>
          (index % 2 ? other : main).services.calendar.tokens.getAccessToken(userId, "microsoft"),
        ),
      );
      expect(new Set(tokens).size).toBe(1);
      // Without the row lock the second instance would refresh with the spent token: invalid_grant.
      expect(microsoft.refreshRequests()).toBe(before + 1);
    } finally {
      microsoft.state.refreshDelayMs = 0;
    }
    const stored = await row(userId, "microsoft");
    expect(stored.needsReconnect).toBe(false);
    expect(decryptStored(stored.refreshToken, userId, "microsoft", "refresh_token")).toBe(
      lastIssued(microsoft, "ms-rt-"),
    );
  });

  it("invalid_grant marks the connection needsReconnect and asks to reconnect, without retrying", async () => {
    const userId = await newUser();
    await connect(main.services, userId, "google");
    google.revokeAllGrants();
    await expireIn(userId, "google", 30);
    await expect(main.services.calendar.tokens.getAccessToken(userId, "google")).rejects.toMatchObject({
      kind: "precondition_failed",
      message: "Reconnect your Google calendar",
    });
    const status = await main.services.calendar.connections.statusOf(userId, "google");
    expect(status).toMatchObject({ connected: true, needsReconnect: true });
    const before = google.refreshRequests();
    await expect(main.services.calendar.tokens.getAccessToken(userId, "google")).rejects.toMatchObject({
      kind: "precondition_failed",
    });
    expect(google.refreshRequests()).toBe(before);

    // Connecting again clears it.
    await connect(main.services, userId, "google");
    expect((await main.services.calendar.connections.statusOf(userId, "google")).needsReconnect).toBe(false);
    expect(await main.services.calendar.tokens.getAccessToken(userId, "google")).toBe(
      lastIssued(google, "ya29.g-at-"),
    );
  });

  it("answers PRECONDITION_FAILED naming the provider when nothing is connected", async () => {
    const userId = await newUser();
    await expect(main.services.calendar.tokens.getAccessToken(userId, "microsoft")).rejects.toMatchObject({
      kind: "precondition_failed",
      message: expect.stringContaining("Microsoft"),
    });
  });
});

describe("encryption at rest", () => {
  it("rotates keys: an old key still decrypts and the row is re-encrypted to the current key", async () => {
    const userId = await newUser();
    await connect(main.services, userId, "google");
    const before = await row(userId, "google");
    expect(TokenCipher.keyIdOf(before.accessToken)).toBe("k1");

    const rotated = instance(`${k2},${k1}`);
    const token = await rotated.services.calendar.tokens.getAccessToken(userId, "google");
    expect(token).toBe(decryptStored(before.accessToken, userId, "google", "access_token"));
    const after = await row(userId, "google");
    expect(TokenCipher.keyIdOf(after.accessToken)).toBe("k2");
    expect(TokenCipher.keyIdOf(after.refreshToken ?? "")).toBe("k2");

    // Once everything is rewritten the old key can go.
    const onlyNew = instance(k2);
    expect(await onlyNew.services.calendar.tokens.getAccessToken(userId, "google")).toBe(token);
  });

  it("a ciphertext moved into another user's row does not decrypt (associated data binds it)", async () => {
    const owner = await newUser();
    const thief = await newUser();
    await connect(main.services, owner, "microsoft");
    await connect(main.services, thief, "microsoft");
    const stolen = await row(owner, "microsoft");
    await main.db.userCalendarConnection.update({
      where: { userId_provider: { userId: thief, provider: "microsoft" } },
      data: { accessToken: stolen.accessToken },
    });
    await expect(main.services.calendar.tokens.getAccessToken(thief, "microsoft")).rejects.toMatchObject({
      kind: "unavailable",
    });
  });

  it("the database holds no token in clear", async () => {
    const dump = JSON.stringify(
      await main.db
        .$queryRaw`SELECT access_token, refresh_token, account_email FROM user_calendar_connections`,
    );
    for (const token of [...microsoft.state.issued, ...google.state.issued])
      expect(dump).not.toContain(token);
    const verifiers = JSON.stringify(await main.db.$queryRaw`SELECT * FROM oauth_states`);
    expect(verifiers).not.toMatch(/"code_verifier":"(?!v1\.)/);
  });
});
