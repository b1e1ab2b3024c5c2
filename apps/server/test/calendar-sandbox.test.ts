import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { answerConsent, followCallback } from "@viewings/calendar-sandbox";
import { createApiClient } from "@viewings/client";
import { createTestDatabase, type TestDatabase } from "@viewings/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { calendarSandboxMode } from "../src/config/sandbox.js";
import { readEnv } from "../src/env.js";
import { type ClerkInstance, createClerkInstance } from "./support/clerk-instance.js";
import { confirmLanding } from "./support/confirm-connection.js";
import { hasCurl } from "./support/optional-tools.js";
import { type ServerProcess, spawnServer } from "./support/server-process.js";
import { postVapi, toolCallsMessage } from "./support/vapi.js";

interface SandboxView {
  [provider: string]: { [account: string]: Array<{ title: string; start: string; showAs: string }> };
}

let database: TestDatabase;
let clerk: ClerkInstance;
let server: ServerProcess;
let sandboxUrl: string;
const workDir = mkdtempSync(join(tmpdir(), "viewings-sandbox-"));

beforeAll(async () => {
  database = await createTestDatabase();
  clerk = await createClerkInstance();
  // The .env asks for the sandbox and for production; the real environment's NODE_ENV must win.
  const envFile = join(workDir, ".env");
  writeFileSync(envFile, "CALENDAR_SANDBOX=true\nNODE_ENV=production\n");
  server = await spawnServer({
    ENV_FILE: envFile,
    NODE_ENV: "development",
    LOG_FORMAT: "json",
    DATA_DIR: workDir,
    DATABASE_URL: database.url,
    CLERK_SECRET_KEY: clerk.secretKey,
    CLERK_PUBLISHABLE_KEY: clerk.publishableKey,
    CLERK_JWT_KEY: clerk.publicKeyPem,
  });
  const index = (await (await fetch(server.url)).json()) as { links: Record<string, string> };
  sandboxUrl = index.links.calendarSandbox ?? expect.fail("no calendar sandbox link in GET /");
});

afterAll(async () => {
  server?.child.kill("SIGTERM");
  await server?.exited;
  await database?.drop();
  rmSync(workDir, { recursive: true, force: true });
});

const sandboxView = async () => (await (await fetch(sandboxUrl)).json()) as SandboxView;

async function signedIn(clerkUserId: string) {
  const token = await clerk.sessionToken(clerkUserId, { claims: { email: `${clerkUserId}@example.com` } });
  return createApiClient({ url: `${server.url}/trpc`, getToken: () => token });
}

const week = () => ({
  from: new Date().toISOString(),
  to: new Date(Date.now() + 7 * 86_400_000).toISOString(),
});

describe("the calendar sandbox (development)", () => {
  it("loads .env with the real environment winning, and says loudly that the sandbox is on", () => {
    expect(server.logs.some((entry) => String(entry.msg).includes("calendar sandbox"))).toBe(true);
    expect(server.logs.find((entry) => entry.level === 40 && entry.calendarSandbox)).toBeDefined();
  });

  it("GET / links the docs, the OpenAPI document, health and the sandbox; browsers get HTML", async () => {
    const json = (await (await fetch(server.url)).json()) as { links: Record<string, string> };
    expect(json.links).toMatchObject({ docs: "/docs", openapi: "/openapi.json", health: "/healthz" });
    const page = await fetch(server.url, { headers: { accept: "text/html" } });
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    expect(await page.text()).toContain('href="/docs"');
  });

  it("connects both providers through their consent page and the real callback", async () => {
    const api = await signedIn("user_landlord");
    for (const provider of ["microsoft", "google"] as const) {
      const { authorizationUrl } = await api.calendar.connect.mutate({ provider });
      expect(authorizationUrl.startsWith(sandboxUrl)).toBe(true);
      const page = await (await fetch(authorizationUrl)).text();
      expect(page).toContain("Allow");
      const callback = await answerConsent(authorizationUrl, "allow", `${provider}@landlord.example`);
      expect(callback.pathname).toBe(`/oauth/${provider}/callback`);
      await confirmLanding(api, await followCallback(callback));
    }
    const status = await api.calendar.status.query();
    expect(status.map((entry) => [entry.provider, entry.connected, entry.accountEmail])).toEqual(
      expect.arrayContaining([
        ["microsoft", true, "microsoft@landlord.example"],
        ["google", true, "google@landlord.example"],
      ]),
    );
  });

  it("a denied consent comes back as auth=error", async () => {
    const api = await signedIn("user_denier");
    const { authorizationUrl } = await api.calendar.connect.mutate({ provider: "google" });
    const landing = await followCallback(await answerConsent(authorizationUrl, "deny"));
    expect(landing.searchParams.get("auth")).toBe("error");
  });

  it("lists the seeded week of both accounts and offers slots outside their busy times", async () => {
    const api = await signedIn("user_landlord");
    const { events, missingProviders } = await api.events.list.query(week());
    expect(missingProviders).toEqual([]);
    expect(new Set(events.map((event) => event.provider))).toEqual(new Set(["microsoft", "google"]));
    const { slots } = await api.events.availability.query({ ...week(), durationMinutes: 30 });
    expect(slots.length).toBeGreaterThan(0);
    const busy = events.filter((event) => event.title === "Team stand-up");
    for (const slot of slots) {
      for (const meeting of busy) {
        const overlaps =
          Date.parse(slot.start) < Date.parse(meeting.end) &&
          Date.parse(slot.end) > Date.parse(meeting.start);
        expect(overlaps).toBe(false);
      }
    }
  });

  it("a booking through the API appears in the sandbox calendar", async () => {
    const api = await signedIn("user_landlord");
    const { slots } = await api.events.availability.query({ ...week(), durationMinutes: 30 });
    const slot = slots[0] ?? expect.fail("no free slot");
    await api.events.create.mutate({
      title: "Viewing via API",
      start: slot.start,
      end: slot.end,
      provider: "google",
    });
    const view = await sandboxView();
    expect(view.google?.["google@landlord.example"]?.map((event) => event.title)).toContain(
      "Viewing via API",
    );
  });

  it("a VAPI tool call books a viewing into the sandbox calendar", async () => {
    const api = await signedIn("user_landlord");
    const { webhookSecret } = await api.agents.create.mutate({
      vapiAssistantId: "asst_sandbox",
      name: "Sandbox",
    });
    const { slots } = await api.events.availability.query({ ...week(), durationMinutes: 30 });
    const slot = slots[1] ?? expect.fail("no second free slot");
    const message = toolCallsMessage("asst_sandbox", [
      {
        id: "tool_book",
        name: "book_appointment",
        args: { property_address: "12 Elm Street", start_time: slot.start, attendee_name: "Bea Caller" },
      },
    ]);
    const answer = await postVapi(server.url, message, { authorization: `Bearer ${webhookSecret}` });
    expect(JSON.stringify(answer.body)).not.toContain('"error"');
    const booked = Object.values(await sandboxView()).flatMap((accounts) =>
      Object.values(accounts).flatMap((events) =>
        events.filter((event) => event.start === new Date(slot.start).toISOString()),
      ),
    );
    expect(booked.map((event) => event.title).join()).toContain("12 Elm Street");
  });
});

/** The shell block of README's "First minute, continued", exactly as a developer copies it. */
function readmeSandboxGuide(): string {
  const readme = readFileSync(join(import.meta.dirname, "..", "..", "..", "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("### First minute, continued"), readme.indexOf("## Layout"));
  return /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? expect.fail("no shell block in the README section");
}

describe.skipIf(!hasCurl)("README, First minute continued", () => {
  it("runs as written: connect, list, availability, agent, VAPI booking, booking visible", async () => {
    const token = await clerk.sessionToken("user_readme", { claims: { email: "readme@example.com" } });
    const transcript = execFileSync("bash", ["-e", "-c", readmeSandboxGuide()], {
      env: { PATH: process.env.PATH ?? "", API: server.url, TOKEN: token },
      encoding: "utf8",
    });
    expect(transcript).toContain("auth=confirm");
    expect(transcript).toContain("connected: true");
    expect(transcript).toContain("Team stand-up");
    expect(transcript).toMatch(/Booked a viewing of 12 Elm Street/);
    expect(transcript).toMatch(/title: 'Property Viewing: 12 Elm Street'/);
  });
});

describe("when the sandbox is on", () => {
  const mode = (env: Record<string, string>) => calendarSandboxMode(readEnv(env));

  it("is on by default in development without providers, off in tests, off once a provider is configured", () => {
    expect(mode({ NODE_ENV: "development" })).toBe("start");
    expect(mode({ NODE_ENV: "test" })).toBe("off");
    expect(mode({ NODE_ENV: "development", GOOGLE_CLIENT_ID: "id", GOOGLE_CLIENT_SECRET: "s" })).toBe("off");
    expect(mode({ NODE_ENV: "development", CALENDAR_SANDBOX: "false" })).toBe("off");
    expect(mode({ NODE_ENV: "test", CALENDAR_SANDBOX: "true" })).toBe("start");
    expect(mode({ NODE_ENV: "development", CALENDAR_SANDBOX_URL: "http://127.0.0.1:1234" })).toBe("attached");
  });

  it("the server refuses CALENDAR_SANDBOX in production, naming it among every configuration problem", async () => {
    expect(mode({ NODE_ENV: "production", CALENDAR_SANDBOX: "true" })).toBe("off");
    await expect(
      spawnServer({ NODE_ENV: "production", CALENDAR_SANDBOX: "true", DATA_DIR: workDir }),
    ).rejects.toThrow(/CALENDAR_SANDBOX: the calendar sandbox is for development only/);
  });
});
