// One events test setup: the real server on a fresh database, both loopback providers, and users
// signed in through Clerk tokens whose calendars are connected through the real OAuth callback route.
import { generateKeyringSpec } from "@viewings/api";
import {
  type FakeGoogle,
  type FakeMicrosoft,
  followAuthorization,
  startFakeGoogle,
  startFakeMicrosoft,
} from "@viewings/calendar-sandbox";
import type { CalendarProviderId } from "@viewings/validators";
import { confirmLanding } from "./confirm-connection.js";
import { startTestServer, type TestServer, type TestServerOptions } from "./test-server.js";

export interface EventsUser {
  client: Awaited<ReturnType<TestServer["clientFor"]>>;
  id: string;
  /** The provider accounts this user connected (each has its own calendar in the fake). */
  microsoftEmail: string;
  googleEmail: string;
}

export interface EventsEnv {
  server: TestServer;
  microsoft: FakeMicrosoft;
  google: FakeGoogle;
  /** Signs a user in and connects the given providers, in that order (the first is the preferred one). */
  user(name: string, providers: CalendarProviderId[]): Promise<EventsUser>;
  /** Connects one more provider for a signed-in user. */
  connect(user: EventsUser, provider: CalendarProviderId): Promise<void>;
  /** Forgets every logged provider call, so a test counts only its own. */
  resetCalls(): void;
  close(): Promise<void>;
}

export async function startEventsEnv(
  env: Record<string, string> = {},
  options: TestServerOptions = {},
): Promise<EventsEnv> {
  const [microsoft, google] = await Promise.all([startFakeMicrosoft(), startFakeGoogle()]);
  const server = await startTestServer(
    {
      ...microsoft.env,
      ...google.env,
      FRONTEND_URL: "https://app.viewings.test",
      TOKEN_ENCRYPTION_KEYS: generateKeyringSpec("ev1"),
      ...env,
    },
    options,
  );

  async function connect(user: EventsUser, provider: CalendarProviderId) {
    // The fakes sign in whichever account is "in the browser" when authorize is opened.
    if (provider === "microsoft") {
      microsoft.state.account = { mail: user.microsoftEmail, userPrincipalName: user.microsoftEmail };
    } else {
      google.state.email = user.googleEmail;
    }
    const { authorizationUrl } = await user.client.calendar.connect.mutate({ provider });
    await confirmLanding(user.client, (await followAuthorization(authorizationUrl)).landing);
  }

  return {
    server,
    microsoft,
    google,
    connect,
    async user(name, providers) {
      const client = await server.clientFor(name);
      const me = await client.users.me.query();
      const handle = name.toLowerCase().replace(/[^a-z0-9]+/g, ".");
      const user: EventsUser = {
        client,
        id: me.id,
        microsoftEmail: `${handle}@contoso.example`,
        googleEmail: `${handle}@gmail.example`,
      };
      for (const provider of providers) await connect(user, provider);
      return user;
    },
    resetCalls() {
      microsoft.state.api.calls.length = 0;
      google.state.api.calls.length = 0;
      microsoft.state.api.failures.length = 0;
      google.state.api.failures.length = 0;
    },
    async close() {
      await server?.close();
      await Promise.all([microsoft.close(), google.close()]);
    },
  };
}
