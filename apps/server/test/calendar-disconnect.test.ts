import { generateKeyringSpec } from "@viewings/api";
import {
  type FakeGoogle,
  type FakeMicrosoft,
  followAuthorization,
  startFakeGoogle,
  startFakeMicrosoft,
} from "@viewings/calendar-sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { confirmLanding } from "./support/confirm-connection.js";
import { trpcError } from "./support/expect-trpc-error.js";
import { startTestServer, type TestServer } from "./support/test-server.js";

let microsoft: FakeMicrosoft;
let google: FakeGoogle;
let server: TestServer;

beforeAll(async () => {
  [microsoft, google] = await Promise.all([startFakeMicrosoft(), startFakeGoogle()]);
  server = await startTestServer({
    FRONTEND_URL: "https://app.viewings.test",
    TOKEN_ENCRYPTION_KEYS: generateKeyringSpec("t1"),
    ...microsoft.env,
    ...google.env,
  });
});
afterAll(() => Promise.all([server?.close(), microsoft?.close(), google?.close()]));

const service = () => server.client(server.serviceKey);

async function connected(name: string, provider: "microsoft" | "google") {
  const client = await server.clientFor(name);
  const me = await client.users.me.query();
  const { authorizationUrl } = await client.calendar.connect.mutate({ provider });
  await confirmLanding(client, (await followAuthorization(authorizationUrl)).landing);
  return { client, me };
}

const connectionCount = (userId: string) => server.db.userCalendarConnection.count({ where: { userId } });

describe("calendar.disconnect", () => {
  it("removes the Google connection, clears the flag and revokes the grant at Google", async () => {
    const { client, me } = await connected("user_disc_google", "google");
    const refreshToken = google.state.issued.filter((token) => token.startsWith("1//")).at(-1);
    const status = await client.calendar.disconnect.mutate({ provider: "google" });
    expect(status).toMatchObject({ provider: "google", connected: false, accountEmail: null });
    expect(await connectionCount(me.id)).toBe(0);
    expect((await client.users.me.query()).googleCalendarConnected).toBe(false);
    expect(google.state.revoked).toContain(refreshToken);
  });

  it("removes a Microsoft connection (no revoke endpoint) and is idempotent", async () => {
    const { client, me } = await connected("user_disc_ms", "microsoft");
    await client.calendar.disconnect.mutate({ provider: "microsoft" });
    await client.calendar.disconnect.mutate({ provider: "microsoft" });
    expect(await connectionCount(me.id)).toBe(0);
    expect((await client.users.me.query()).microsoftCalendarConnected).toBe(false);
  });

  it("still disconnects when the provider's revoke fails", async () => {
    const { client, me } = await connected("user_disc_revoked", "google");
    google.revokeAllGrants(); // Google now answers 400 invalid_token to the revoke.
    await client.calendar.disconnect.mutate({ provider: "google" });
    expect(await connectionCount(me.id)).toBe(0);
  });
});

describe("calendar.setStatus (the old PATCH /users/{id}/calendar-status)", () => {
  it("a user sets connected=false on themself: disconnects", async () => {
    const { client, me } = await connected("user_set_self", "microsoft");
    expect(await client.calendar.setStatus.mutate({ provider: "microsoft", connected: false })).toEqual({
      userId: me.id,
      provider: "microsoft",
      connected: false,
    });
    expect(await connectionCount(me.id)).toBe(0);
    expect((await client.users.me.query()).microsoftCalendarConnected).toBe(false);
  });

  it("connected=true keeps an existing connection and sets the flag; without one it asks to connect first", async () => {
    const { client, me } = await connected("user_set_true", "google");
    await server.db.user.update({ where: { id: me.id }, data: { googleCalendarConnected: false } });
    await client.calendar.setStatus.mutate({ provider: "google", connected: true, userId: me.id });
    expect((await client.users.me.query()).googleCalendarConnected).toBe(true);

    const error = await trpcError(
      client.calendar.setStatus.mutate({ provider: "microsoft", connected: true }),
    );
    expect(error.code).toBe("PRECONDITION_FAILED");
    expect(error.message).toMatch(/connect it first/);
    expect((await client.users.me.query()).microsoftCalendarConnected).toBe(false);
  });

  it("refuses a signed-in user acting on another user's id", async () => {
    const victim = await connected("user_set_victim", "google");
    const attacker = await server.clientFor("user_set_attacker");
    const error = await trpcError(
      attacker.calendar.setStatus.mutate({ provider: "google", connected: false, userId: victim.me.id }),
    );
    expect(error.code).toBe("FORBIDDEN");
    expect(await connectionCount(victim.me.id)).toBe(1);
  });

  it("a service caller names the user by id, both ways", async () => {
    const { client, me } = await connected("user_set_service", "microsoft");
    const on = await service().calendar.setStatus.mutate({
      provider: "microsoft",
      connected: true,
      userId: me.id,
    });
    expect(on.connected).toBe(true);
    await service().calendar.setStatus.mutate({ provider: "microsoft", connected: false, userId: me.id });
    expect(await connectionCount(me.id)).toBe(0);
    expect((await client.users.me.query()).microsoftCalendarConnected).toBe(false);
    const again = await trpcError(
      service().calendar.setStatus.mutate({ provider: "microsoft", connected: true, userId: me.id }),
    );
    expect(again.code).toBe("PRECONDITION_FAILED");
  });

  it("a service caller without userId gets BAD_REQUEST; an unknown id NOT_FOUND; anonymous UNAUTHORIZED", async () => {
    const missing = await trpcError(
      service().calendar.setStatus.mutate({ provider: "google", connected: false }),
    );
    expect(missing.code).toBe("BAD_REQUEST");
    expect(missing.message).toContain("userId");
    const unknown = await trpcError(
      service().calendar.setStatus.mutate({
        provider: "google",
        connected: false,
        userId: "00000000-0000-4000-8000-000000000000",
      }),
    );
    expect(unknown.code).toBe("NOT_FOUND");
    const anonymous = await trpcError(
      server.client().calendar.setStatus.mutate({ provider: "google", connected: false }),
    );
    expect(anonymous.code).toBe("UNAUTHORIZED");
  });
});
