// A server with both loopback providers, and users whose calendars are connected the way the old
// frontend did it: GET /calendar/auth/start (a 307 to the provider), then the browser's round trip.
import { generateKeyringSpec } from "@viewings/api";
import {
  type FakeGoogle,
  type FakeMicrosoft,
  followAuthorization,
  startFakeGoogle,
  startFakeMicrosoft,
} from "@viewings/calendar-sandbox";
import type { CalendarProviderId } from "@viewings/validators";
import { rest } from "./rest-client.js";
import { startTestServer, type TestServer } from "./test-server.js";

export const frontendUrl = "https://app.viewings.test";

export const startPaths: Record<CalendarProviderId, string> = {
  microsoft: "/calendar/auth/start",
  google: "/calendar/google/auth/start",
};

export interface RestUser {
  clerkUserId: string;
  token: string;
  id: string;
  /** The provider account this user connects (each has its own calendar in the fakes). */
  email: string;
}

export interface RestCalendarEnv {
  server: TestServer;
  microsoft: FakeMicrosoft;
  google: FakeGoogle;
  /** Signs a user in (GET /users/me creates the row) and connects the given providers. */
  user(clerkUserId: string, providers?: CalendarProviderId[]): Promise<RestUser>;
  /** The 307 Location of the old start path, for this user. */
  startConnect(user: RestUser, provider: CalendarProviderId): Promise<string>;
  close(): Promise<void>;
}

export async function startRestCalendarEnv(env: Record<string, string> = {}): Promise<RestCalendarEnv> {
  const [microsoft, google] = await Promise.all([startFakeMicrosoft(), startFakeGoogle()]);
  const server = await startTestServer({
    ...microsoft.env,
    ...google.env,
    FRONTEND_URL: frontendUrl,
    TOKEN_ENCRYPTION_KEYS: generateKeyringSpec("rest1"),
    ...env,
  });

  async function startConnect(user: RestUser, provider: CalendarProviderId): Promise<string> {
    if (provider === "microsoft")
      microsoft.state.account = { mail: user.email, userPrincipalName: user.email };
    else google.state.email = user.email;
    const started = await rest(server.url, "GET", startPaths[provider], { token: user.token });
    const location = started.headers.get("location");
    if (started.status !== 307 || !location) throw new Error(`start answered ${started.status}`);
    return location;
  }

  return {
    server,
    microsoft,
    google,
    startConnect,
    async user(clerkUserId, providers = []) {
      const email = `${clerkUserId.toLowerCase().replace(/[^a-z0-9]+/g, ".")}@calendar.example`;
      const token = await server.clerk.sessionToken(clerkUserId, { claims: { email } });
      const me = await rest<{ data: { id: string } }>(server.url, "GET", "/users/me", { token });
      if (me.status !== 200) throw new Error(`/users/me answered ${me.status}`);
      const user = { clerkUserId, token, id: me.body.data.id, email };
      for (const provider of providers) {
        const { landing } = await followAuthorization(await startConnect(user, provider));
        if (landing.searchParams.get("auth") !== "success") throw new Error(`connect failed: ${landing}`);
      }
      return user;
    },
    async close() {
      await server?.close();
      await Promise.all([microsoft.close(), google.close()]);
    },
  };
}
