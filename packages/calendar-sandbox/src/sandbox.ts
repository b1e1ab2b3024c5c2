// The calendar sandbox a development server runs instead of real Microsoft and Google: the loopback
// fakes the tests use, behind one front server that adds what a developer needs and tests do not
// (the fakes consent automatically): a consent page on each authorization URL, a week of seeded
// events for every account that consents, and a JSON view of the calendars at GET /.
import type { IncomingMessage, ServerResponse } from "node:http";
import { consentPage } from "./consent-page.js";
import type { FakeCalendars } from "./fake-calendar.js";
import { startFakeGoogle } from "./fake-google.js";
import { startFakeMicrosoft } from "./fake-microsoft.js";
import { readForm, sendJson, startLoopback } from "./fake-oauth-server.js";
import { seedWeek } from "./sandbox-seed.js";

interface SandboxProvider {
  name: string;
  /** Path prefix under the front server; everything below it is forwarded to the fake. */
  prefix: string;
  fake: { url: string; clientId: string; env: Record<string, string>; denyNextAuthorization(): void };
  isAuthorizePath(path: string): boolean;
  /** The account the consent page offers; the same on every visit, so guides can name it. */
  defaultAccount: string;
  signInAs(email: string): void;
  calendars: FakeCalendars;
  seeded: Set<string>;
}

/** Headers that describe one hop, not the message: never forwarded. */
const hopHeaders = new Set(["host", "connection", "content-length", "transfer-encoding", "keep-alive"]);

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Sends a request on to the fake and its answer back, as a transparent reverse proxy would. */
async function forward(req: IncomingMessage, res: ServerResponse, target: string) {
  const headers = Object.entries(req.headers).filter(
    (entry): entry is [string, string] => typeof entry[1] === "string" && !hopHeaders.has(entry[0]),
  );
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  const answer = await fetch(target, {
    method: req.method ?? "GET",
    headers,
    redirect: "manual",
    ...(hasBody ? { body: await readBody(req) } : {}),
  });
  await relay(answer, res);
}

async function relay(answer: Response, res: ServerResponse) {
  const answerHeaders = [...answer.headers].filter(
    ([name]) => !hopHeaders.has(name) && name !== "content-encoding",
  );
  res.writeHead(answer.status, Object.fromEntries(answerHeaders));
  res.end(Buffer.from(await answer.arrayBuffer()));
}

export async function startSandbox() {
  const [microsoft, google] = await Promise.all([startFakeMicrosoft(), startFakeGoogle()]);
  const providers: SandboxProvider[] = [
    {
      name: "Microsoft",
      prefix: "/microsoft",
      fake: microsoft,
      isAuthorizePath: (path) => /^\/[^/]+\/oauth2\/v2\.0\/authorize$/.test(path),
      defaultAccount: microsoft.state.account.mail ?? microsoft.state.account.userPrincipalName,
      signInAs: (email) => {
        microsoft.state.account = { mail: email, userPrincipalName: email };
      },
      calendars: microsoft.state.calendars,
      seeded: new Set(),
    },
    {
      name: "Google",
      prefix: "/google",
      fake: google,
      isAuthorizePath: (path) => path === "/o/oauth2/v2/auth",
      defaultAccount: google.state.email,
      signInAs: (email) => {
        google.state.email = email;
      },
      calendars: google.state.calendars,
      seeded: new Set(),
    },
  ];

  /** The developer's answer on the consent page: the fake then redirects to the app's callback. */
  const decide = async (provider: SandboxProvider, req: IncomingMessage, res: ServerResponse, url: URL) => {
    const form = await readForm(req);
    const email = (form.get("email") ?? "").trim().toLowerCase() || provider.defaultAccount;
    if (form.get("decision") === "allow") {
      provider.signInAs(email);
      if (!provider.seeded.has(email)) {
        seedWeek(provider.calendars, email);
        provider.seeded.add(email);
      }
    } else {
      provider.fake.denyNextAuthorization();
    }
    const target = `${provider.fake.url}${url.pathname.slice(provider.prefix.length)}${url.search}`;
    await relay(await fetch(target, { redirect: "manual" }), res);
  };

  const showConsent = (provider: SandboxProvider, res: ServerResponse, url: URL) => {
    const q = url.searchParams;
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(
      consentPage({
        provider: provider.name,
        clientId: q.get("client_id") ?? "",
        scopes: (q.get("scope") ?? "").split(" ").filter(Boolean),
        account: provider.defaultAccount,
        redirectUri: q.get("redirect_uri") ?? "",
      }),
    );
  };

  /** Every sandbox calendar from yesterday to a week ahead: where a developer sees a booking land. */
  const calendarsView = () => {
    const from = new Date(Date.now() - 86_400_000);
    const to = new Date(Date.now() + 8 * 86_400_000);
    return Object.fromEntries(
      providers.map((provider) => [
        provider.name.toLowerCase(),
        Object.fromEntries(
          [...provider.seeded].map((email) => [
            email,
            provider.calendars
              .occurrences(email, from, to)
              .sort((a, b) => a.start.getTime() - b.start.getTime())
              .map(({ event, start, end }) => ({
                title: event.title,
                start: start.toISOString(),
                end: end.toISOString(),
                showAs: event.showAs,
                ...(event.location ? { location: event.location } : {}),
              })),
          ]),
        ),
      ]),
    );
  };

  const front = await startLoopback(async (req, res, url) => {
    const provider = providers.find((candidate) => url.pathname.startsWith(`${candidate.prefix}/`));
    if (!provider) {
      if (req.method === "GET" && url.pathname === "/") return sendJson(res, 200, calendarsView());
      return sendJson(res, 404, { error: "not_found" });
    }
    const path = url.pathname.slice(provider.prefix.length);
    if (provider.isAuthorizePath(path) && req.method === "GET") return showConsent(provider, res, url);
    if (provider.isAuthorizePath(path) && req.method === "POST") return decide(provider, req, res, url);
    return forward(req, res, `${provider.fake.url}${path}${url.search}`);
  });

  /** The fakes' MICROSOFT_* and GOOGLE_* settings, pointed at the front instead of the fakes. */
  const env: Record<string, string> = { CALENDAR_SANDBOX_URL: front.url };
  for (const provider of providers) {
    for (const [name, value] of Object.entries(provider.fake.env)) {
      env[name] = value.replace(provider.fake.url, `${front.url}${provider.prefix}`);
    }
  }

  return {
    url: front.url,
    /** Environment for a server using this sandbox (provider ids, secrets, base URLs, CALENDAR_SANDBOX_URL). */
    env,
    microsoft,
    google,
    /** Events per provider and account, as GET / shows them. */
    calendars: calendarsView,
    async close() {
      await front.close();
      await Promise.all([microsoft.close(), google.close()]);
    },
  };
}

export type CalendarSandbox = Awaited<ReturnType<typeof startSandbox>>;

/**
 * Clicks Allow (or Deny) on a sandbox consent page the way a browser submits its form, and returns
 * the provider's redirect to the app's callback.
 */
export async function answerConsent(
  authorizationUrl: string,
  decision: "allow" | "deny",
  email?: string,
): Promise<URL> {
  const page = await fetch(authorizationUrl);
  if (!(page.headers.get("content-type") ?? "").startsWith("text/html")) {
    throw new Error(`expected a consent page, got ${page.status}: ${await page.text()}`);
  }
  const form = new URLSearchParams({ decision });
  if (email) form.set("email", email);
  const answer = await fetch(authorizationUrl, { method: "POST", body: form, redirect: "manual" });
  const location = answer.headers.get("location");
  if (answer.status !== 302 || !location) throw new Error(`consent answered ${answer.status}`);
  return new URL(location);
}
