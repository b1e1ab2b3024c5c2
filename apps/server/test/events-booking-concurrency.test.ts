// No double booking across server processes: two servers (this one in-process, one spawned as
// `node dist/src/main.js`) share one database, and the ledger's exclusion constraint decides.
import { generateKeyringSpec } from "@viewings/api";
import { createApiClient } from "@viewings/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clerkServerEnv } from "./support/clerk-instance.js";
import { type EventsEnv, type EventsUser, startEventsEnv } from "./support/events-env.js";
import { type ServerProcess, spawnServer } from "./support/server-process.js";

// Both processes read the tokens the OAuth callback stored, so they share the keyring.
const tokenKeys = generateKeyringSpec("bk1");
let env: EventsEnv;
let second: ServerProcess;

beforeAll(async () => {
  env = await startEventsEnv({ TOKEN_ENCRYPTION_KEYS: tokenKeys });
  second = await spawnServer({
    NODE_ENV: "test",
    LOG_LEVEL: "info",
    DATABASE_URL: env.server.databaseUrl,
    ...clerkServerEnv(env.server.clerk),
    TOKEN_ENCRYPTION_KEYS: tokenKeys,
    FRONTEND_URL: "https://app.viewings.test",
    ...env.microsoft.env,
    ...env.google.env,
  });
}, 60_000);

afterAll(async () => {
  second?.child.kill("SIGTERM");
  await second?.exited;
  await env?.close();
});

/** The same user's client on the second server process. */
async function onSecond(clerkUserId: string) {
  const token = await env.server.clerk.sessionToken(clerkUserId, {
    claims: { email: `${clerkUserId.toLowerCase()}@example.com` },
  });
  return createApiClient({ url: `${second.url}/trpc`, getToken: () => token });
}

function slotAt(day: string) {
  return {
    title: "Property Viewing: 12 Elm St",
    start: `${day}T10:00:00-05:00`,
    end: `${day}T10:30:00-05:00`,
  };
}

/** 20 bookings of one slot at once, half through each server; what each caller heard. */
async function race(user: EventsUser, clerkUserId: string, day: string) {
  const other = await onSecond(clerkUserId);
  const attempts = Array.from({ length: 20 }, (_, index) =>
    (index % 2 === 0 ? user.client : other).events.create
      .mutate({ ...slotAt(day), idempotencyKey: `race-${day}-${index}` })
      .then(
        (event) => ({ ok: true as const, event }),
        (error: { data?: { code?: string }; message: string }) => ({
          ok: false as const,
          code: error.data?.code,
          message: error.message,
        }),
      ),
  );
  return Promise.all(attempts);
}

describe("concurrent bookings of one slot across two server processes", () => {
  it("exactly one is booked; the other 19 get CONFLICT with nearby free times", async () => {
    const user = await env.user("user_race", ["microsoft"]);
    const outcomes = await race(user, "user_race", "2027-03-16");
    const booked = outcomes.filter((outcome) => outcome.ok);
    const refused = outcomes.filter((outcome) => !outcome.ok);
    expect(booked).toHaveLength(1);
    expect(refused.map((outcome) => outcome.code)).toEqual(Array(19).fill("CONFLICT"));
    for (const outcome of refused) expect(outcome.message).toMatch(/Nearest free times: 2027-03-1\d/);
    expect(env.microsoft.state.calendars.events(user.microsoftEmail)).toHaveLength(1);
  });

  it("the same with providers answering in 250 ms", async () => {
    const user = await env.user("user_race_slow", ["google"]);
    env.google.state.api.latencyMs = 250;
    try {
      const outcomes = await race(user, "user_race_slow", "2027-03-17");
      expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1);
      expect(outcomes.filter((outcome) => !outcome.ok).map((outcome) => outcome.code)).toEqual(
        Array(19).fill("CONFLICT"),
      );
    } finally {
      env.google.state.api.latencyMs = 0;
    }
    expect(env.google.state.calendars.events(user.googleEmail)).toHaveLength(1);
  });

  it("availability on one server never offers a slot the other just booked, even from its cache", async () => {
    const user = await env.user("user_offer", ["google"]);
    const other = await onSecond("user_offer");
    const window = {
      from: "2027-03-18T00:00:00-05:00",
      to: "2027-03-19T00:00:00-05:00",
      durationMinutes: 30,
    };
    const before = await other.events.availability.query(window);
    expect(before.slots.map((slot) => slot.start)).toContain("2027-03-18T10:00:00-05:00");
    await user.client.events.create.mutate(slotAt("2027-03-18"));
    const after = await other.events.availability.query(window);
    expect(after.slots.map((slot) => slot.start)).not.toContain("2027-03-18T10:00:00-05:00");
    expect(after.slots.map((slot) => slot.start)).toContain("2027-03-18T10:30:00-05:00");
  });
});
