// Deadlines that cancel, safe retries and input bounds on the one booking path. Whatever the provider's
// speed, the caller's answer and the calendar agree: one event and "booked", or no event and "failed".
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type EventsEnv, type EventsUser, startEventsEnv } from "./support/events-env.js";
import { trpcError } from "./support/expect-trpc-error.js";
import { rest } from "./support/rest-client.js";
import { postVapi, toolCallsMessage } from "./support/vapi.js";

const deadlineMs = 1000;
const vapiSecret = "global_vapi_secret_deadlines_01";
let env: EventsEnv;
let ms: EventsUser;
let google: EventsUser;

beforeAll(async () => {
  env = await startEventsEnv({
    CALENDAR_DEADLINE_MS: String(deadlineMs),
    CALENDAR_HTTP_TIMEOUT_MS: "5000",
    VAPI_WEBHOOK_SECRETS: vapiSecret,
    VAPI_TOOL_DEADLINE_MS: "4000",
  });
  ms = await env.user("user_deadline_ms", ["microsoft"]);
  google = await env.user("user_deadline_google", ["google"]);
});
afterAll(() => env?.close());
beforeEach(() => {
  env.resetCalls();
  env.microsoft.state.api.latencyMs = 0;
  env.google.state.api.latencyMs = 0;
});

/** Each case books its own weekday, so one case's event never blocks another's. */
let day = 0;
function nextViewing() {
  do day += 1;
  while ([0, 6].includes(new Date(Date.UTC(2027, 4, 3 + day)).getUTCDay()));
  const date = new Date(Date.UTC(2027, 4, 3 + day)).toISOString().slice(0, 10);
  return {
    title: "Property Viewing: 12 Elm St",
    start: `${date}T15:00:00Z`,
    end: `${date}T15:30:00Z`,
  };
}

async function eventsAfterStragglers(count: () => number, latencyMs: number) {
  // A request the deadline abandoned may still land at the provider: wait until it would have.
  await sleep(latencyMs * 2 + 300);
  return count();
}

describe("a slow provider around the deadline: the answer and the calendar agree", () => {
  // The booking is two calls (busy check, create) under a 1000 ms deadline, so 2 x latency decides.
  for (const latency of [150, 420, 560, 750]) {
    it(`Microsoft at ${latency} ms a call`, async () => {
      env.microsoft.state.api.latencyMs = latency;
      const answer = await ms.client.events.create.mutate(nextViewing()).then(
        () => "booked",
        (error: { data?: { code?: string } }) => `failed ${error.data?.code}`,
      );
      const count = await eventsAfterStragglers(
        () => env.microsoft.state.calendars.events(ms.microsoftEmail).length,
        latency,
      );
      const creates = env.microsoft.calls("createEvent").length;
      console.info(`Microsoft ${latency} ms: ${answer}, ${count} event(s), ${creates} create request(s)`);
      expect([answer, count]).toEqual(answer === "booked" ? ["booked", 1] : ["failed TIMEOUT", 0]);
      env.microsoft.state.calendars.clear(ms.microsoftEmail);
    });
  }

  for (const latency of [150, 700]) {
    it(`Google at ${latency} ms a call`, async () => {
      env.google.state.api.latencyMs = latency;
      const answer = await google.client.events.create.mutate(nextViewing()).then(
        () => "booked",
        (error: { data?: { code?: string } }) => `failed ${error.data?.code}`,
      );
      const count = await eventsAfterStragglers(
        () => env.google.state.calendars.events(google.googleEmail).length,
        latency,
      );
      console.info(`Google ${latency} ms: ${answer}, ${count} event(s)`);
      expect([answer, count]).toEqual(answer === "booked" ? ["booked", 1] : ["failed TIMEOUT", 0]);
      env.google.state.calendars.clear(google.googleEmail);
    });
  }

  it("the voice agent keeps time to undo inside its own deadline, and says what happened", async () => {
    await ms.client.agents.create.mutate({ vapiAssistantId: "asst_deadline", name: "Slow line" });
    // 4000 ms for the message: the booking gets 1600 ms (busy check + create), the undo 2400 ms.
    for (const [index, latency] of [200, 850].entries()) {
      env.microsoft.state.api.latencyMs = latency;
      const { start } = nextViewing();
      const started = Date.now();
      const answer = await postVapi(
        env.server.url,
        toolCallsMessage("asst_deadline", [
          {
            id: `tc_slow_${index}`,
            name: "book_appointment",
            args: { property_address: "12 Elm St", start_time: start, attendee_name: "Sam" },
          },
        ]),
        { authorization: `Bearer ${vapiSecret}` },
      );
      const elapsed = Date.now() - started;
      const [result] = answer.body.results as Array<{ result?: string; error?: string }>;
      const count = await eventsAfterStragglers(
        () => env.microsoft.state.calendars.events(ms.microsoftEmail).length,
        latency,
      );
      const creates = env.microsoft.calls("createEvent").length;
      console.info(
        `voice ${latency} ms: ${result?.result ?? result?.error} (${elapsed} ms), ${count} event(s), ${creates} create(s)`,
      );
      env.resetCalls();
      expect(elapsed).toBeLessThan(4_000 + 1_000);
      if (result?.result) expect([result.result.startsWith("Booked"), count]).toEqual([true, 1]);
      else expect([result?.error, count]).toEqual([expect.stringMatching(/couldn't reach the calendar/), 0]);
      env.microsoft.state.calendars.clear(ms.microsoftEmail);
    }
  });
});

describe("safe retries", () => {
  it("Graph: a 503 after the event was made is retried with the same transactionId: one event", async () => {
    env.microsoft.state.api.failures.push({
      route: "createEvent",
      status: 503,
      retryAfter: "0",
      afterWork: true,
    });
    const event = await ms.client.events.create.mutate(nextViewing());
    const creates = env.microsoft.calls("createEvent");
    expect(creates.map((call) => call.status)).toEqual([503, 201]);
    expect(new Set(creates.map((call) => (call.body as { transactionId?: string }).transactionId)).size).toBe(
      1,
    );
    expect(env.microsoft.state.calendars.events(ms.microsoftEmail).map((e) => e.id)).toEqual([event.id]);
    env.microsoft.state.calendars.clear(ms.microsoftEmail);
  });

  it("Google: a 503 after the event was made, the retry gets 409 duplicate and reads it: one event", async () => {
    env.google.state.api.failures.push({
      route: "events.insert",
      status: 503,
      retryAfter: "0",
      afterWork: true,
    });
    const event = await google.client.events.create.mutate(nextViewing());
    expect(env.google.calls("events.insert").map((call) => call.status)).toEqual([503, 409]);
    expect(env.google.calls("events.get").map((call) => call.status)).toEqual([200]);
    expect(env.google.state.calendars.events(google.googleEmail).map((e) => e.id)).toEqual([event.id]);
    env.google.state.calendars.clear(google.googleEmail);
  });

  it("a read sent as POST (getSchedule) is retried after a 503; every create POST carries its key", async () => {
    env.microsoft.state.api.failures.push({ route: "getSchedule", status: 503, retryAfter: "0" });
    const event = await ms.client.events.create.mutate(nextViewing());
    expect(env.microsoft.calls("getSchedule").map((call) => call.status)).toEqual([503, 200]);
    expect(event.provider).toBe("microsoft");
    env.microsoft.state.calendars.clear(ms.microsoftEmail);
  });
});

describe("input bounds", () => {
  it("an end in year 10000 (after its offset) is refused before any provider call", async () => {
    const refused = await trpcError(
      ms.client.events.create.mutate({
        title: "Late",
        start: "9999-12-31T22:00:00-01:00",
        end: "9999-12-31T23:30:00-01:00",
        idempotencyKey: "year-10000",
      }),
    );
    expect(refused.code).toBe("BAD_REQUEST");
    expect(refused.message).toBe("Invalid input: end: must be between years 1 and 9999");
    expect(env.microsoft.state.api.calls).toHaveLength(0);
    const rows = await env.server.db.booking.count({ where: { idempotencyKey: "year-10000" } });
    expect(rows).toBe(0);
  });

  it("the voice path refuses a year-10000 time and an address too long for the event title", async () => {
    await ms.client.agents.create.mutate({ vapiAssistantId: "asst_bounds", name: "Bounds line" });
    const answer = await postVapi(
      env.server.url,
      toolCallsMessage("asst_bounds", [
        {
          id: "tc_year",
          name: "book_appointment",
          args: {
            property_address: "1 Main St",
            start_time: "9999-12-31T23:30:00-01:00",
            attendee_name: "Ann",
          },
        },
        {
          id: "tc_long",
          name: "book_appointment",
          args: { property_address: "x".repeat(201), start_time: "2027-06-01T10:00", attendee_name: "Ann" },
        },
      ]),
      { authorization: `Bearer ${vapiSecret}` },
    );
    const [year, long] = answer.body.results as Array<{ error?: string }>;
    expect(year?.error).toMatch(/I need a date and time/);
    expect(long?.error).toMatch(/To book I need the property address/);
    expect(env.microsoft.state.api.calls).toHaveLength(0);
  });
});

describe("one ledger", () => {
  it("the API, the REST route and the voice agent all book through it; appointments point at their booking", async () => {
    const api = await ms.client.events.create.mutate(nextViewing());
    const viewing = nextViewing();
    const restAnswer = await rest<{ data: { id: string } }>(env.server.url, "POST", "/calendar/events", {
      token: env.server.serviceKey,
      body: { subject: viewing.title, start_time: viewing.start, end_time: viewing.end, user_id: ms.id },
    });
    expect(restAnswer.status).toBe(200);
    await ms.client.agents.create.mutate({ vapiAssistantId: "asst_ledger", name: "Ledger line" });
    const voice = await postVapi(
      env.server.url,
      toolCallsMessage("asst_ledger", [
        {
          id: "tc_ledger",
          name: "book_appointment",
          args: { property_address: "12 Elm St", start_time: nextViewing().start, attendee_name: "Ann" },
        },
      ]),
      { authorization: `Bearer ${vapiSecret}` },
    );
    expect((voice.body.results as Array<{ result?: string }>)[0]?.result).toMatch(/^Booked/);

    const rows = await env.server.db.booking.findMany({
      where: {
        userId: ms.id,
        providerEventId: { in: env.microsoft.state.calendars.events(ms.microsoftEmail).map((e) => e.id) },
      },
      include: { appointments: true },
      orderBy: { createdAt: "asc" },
    });
    expect(rows.map((row) => [row.source, row.status, row.providerEventId])).toEqual([
      ["api", "confirmed", api.id],
      ["rest", "confirmed", restAnswer.body.data.id],
      ["voice", "confirmed", expect.any(String)],
    ]);
    // The voice appointment points at its booking, which holds the status (booked = confirmed).
    expect(rows[2]?.appointments.map((appointment) => appointment.bookingId)).toEqual([rows[2]?.id]);
    env.microsoft.state.calendars.clear(ms.microsoftEmail);
  });
});
