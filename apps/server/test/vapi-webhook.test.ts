import type { RouterOutputs } from "@viewings/api";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type EventsEnv, type EventsUser, startEventsEnv } from "./support/events-env.js";
import {
  functionCallMessage,
  postVapi,
  toolCallsMessage,
  toolWithToolCallListMessage,
} from "./support/vapi.js";

const globalSecret = "global_vapi_secret_0123456789";
let env: EventsEnv;
let owner: EventsUser;
let other: EventsUser;
let agentSecret: string;
const assistantId = "asst_landlord_1";

type Results = Array<{ toolCallId: string; result?: string; error?: string }>;

beforeAll(async () => {
  env = await startEventsEnv({
    VAPI_WEBHOOK_SECRETS: globalSecret,
    CALENDAR_DEADLINE_MS: "1500",
    VAPI_TOOL_DEADLINE_MS: "2500",
  });
  owner = await env.user("user_vapi_owner", ["google"]);
  other = await env.user("user_vapi_other", ["google"]);
  const created = await owner.client.agents.create.mutate({
    vapiAssistantId: assistantId,
    name: "Viewing line",
  });
  agentSecret = created.webhookSecret;
});
afterAll(() => env?.close());
beforeEach(() => {
  env.resetCalls();
  env.google.state.calendars.clear();
});

const asAgent = () => ({ authorization: `Bearer ${agentSecret}` });
const call = (body: unknown, headers: Record<string, string> = asAgent()) =>
  postVapi(env.server.url, body, headers);
const results = (body: Record<string, unknown>) => body.results as Results;

describe("POST /webhooks/vapi authentication", () => {
  it("refuses a missing or wrong secret with 401", async () => {
    const body = toolCallsMessage(assistantId, [{ id: "tc_a", name: "check_availability", args: {} }]);
    expect((await call(body, {})).status).toBe(401);
    expect((await call(body, { authorization: "Bearer wrong_secret_wrong_secret" })).status).toBe(401);
    expect((await call(body, { "x-vapi-secret": `${agentSecret}x` })).status).toBe(401);
  });

  it("accepts the agent's own secret as Bearer and the shared one as X-Vapi-Secret", async () => {
    const body = toolCallsMessage(assistantId, [{ id: "tc_b", name: "check_availability", args: {} }]);
    expect((await call(body)).status).toBe(200);
    expect((await call(body, { "x-vapi-secret": globalSecret })).status).toBe(200);
  });

  it("answers every call of an unknown assistant with a spoken error, HTTP 200", async () => {
    const body = toolCallsMessage("asst_unknown", [
      { id: "tc_u1", name: "check_availability", args: {} },
      { id: "tc_u2", name: "book_appointment", args: {} },
    ]);
    const answer = await call(body, { authorization: `Bearer ${globalSecret}` });
    expect(answer.status).toBe(200);
    expect(results(answer.body).map((r) => r.toolCallId)).toEqual(["tc_u1", "tc_u2"]);
    for (const result of results(answer.body))
      expect(result.error).toMatch(/not connected to a landlord's calendar/);
  });

  it("refuses a call or tool-call id longer than VAPI's (stored) ids with 400 naming it", async () => {
    const longCall = toolCallsMessage(
      assistantId,
      [{ id: "tc_l", name: "check_availability", args: {} }],
      "c".repeat(256),
    );
    const answer = await call(longCall);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe("Not a VAPI server message: message.call.id is invalid");
  });

  it("does not let another assistant's secret act for this one", async () => {
    const { webhookSecret } = await other.client.agents.create.mutate({
      vapiAssistantId: "asst_other",
      name: "Other",
    });
    const body = toolCallsMessage(assistantId, [{ id: "tc_x", name: "check_availability", args: {} }]);
    expect((await call(body, { authorization: `Bearer ${webhookSecret}` })).status).toBe(401);
  });
});

describe("tool calls", () => {
  it("answers several tool calls in one message, in order, one single-line result each", async () => {
    const body = toolCallsMessage(assistantId, [
      { id: "tc_1", name: "check_availability", args: { days_ahead: 3 } },
      { id: "tc_2", name: "get_availability", args: { property_address: "1 Main St" } },
      { id: "tc_3", name: "no_such_tool", args: {} },
    ]);
    const answer = await call(body);
    expect(answer.status).toBe(200);
    const list = results(answer.body);
    expect(list.map((r) => r.toolCallId)).toEqual(["tc_1", "tc_2", "tc_3"]);
    expect(list[0]?.result).toMatch(
      /^Available 30-minute viewing times: \w+day, \w+ \d+ at \d+:\d\d [AP]M \(\d{4}-/,
    );
    expect(list[2]?.error).toBe("Unknown tool no_such_tool.");
    for (const result of list) expect(result.result ?? result.error).not.toContain("\n");
  });

  it("reads the toolWithToolCallList shape with string arguments, and the legacy functionCall shape", async () => {
    const modern = await call(
      toolWithToolCallListMessage(assistantId, [
        { id: "tc_m", name: "check_availability", args: { days_ahead: 2 } },
      ]),
    );
    expect(results(modern.body)[0]).toMatchObject({
      toolCallId: "tc_m",
      result: expect.stringContaining("Available"),
    });
    const legacy = await call(
      functionCallMessage(assistantId, "get_availability", { property_address: "1 Main St" }),
    );
    expect(legacy.status).toBe(200);
    expect(legacy.body.result).toEqual(expect.stringContaining("Available"));
  });

  it("books on the owner's calendar whatever user_id the model sends, and only once per tool call id", async () => {
    const args = {
      property_address: "12 Elm Street",
      start_time: "2027-03-12T14:00",
      attendee_name: "Rita Renter",
      attendee_email: "rita@example.com",
      user_id: other.id,
    };
    const body = toolCallsMessage(assistantId, [{ id: "tc_book_once", name: "book_appointment", args }]);
    const first = results((await call(body)).body)[0];
    const again = results((await call(body)).body)[0];
    expect(first?.result).toMatch(
      /^Booked a viewing of 12 Elm Street on Friday, March 12 at 2:00 PM\. Appointment id [0-9a-f-]{36}\.$/,
    );
    expect(again?.result).toBe(first?.result);

    const inserts = env.google.state.api.calls.filter((c) => c.route === "events.insert");
    expect(inserts).toHaveLength(1);
    expect(inserts[0]?.account).toBe(owner.googleEmail);
    expect(inserts[0]?.body).toMatchObject({
      summary: "Property Viewing: 12 Elm Street",
      start: { dateTime: "2027-03-12T14:00:00-06:00", timeZone: "America/Chicago" },
      attendees: [{ email: "rita@example.com", displayName: "Rita Renter" }],
    });
    expect(env.google.state.calendars.events(other.googleEmail)).toHaveLength(0);
    const [appointment] = await owner.client.appointments.list.query({});
    expect(appointment).toMatchObject({
      propertyAddress: "12 Elm Street",
      status: "booked",
      start: "2027-03-12T20:00:00.000Z",
    });
    expect(await other.client.appointments.list.query({})).toEqual([]);
  });

  it("reads naive times in the landlord's zone on both sides of the DST change", async () => {
    const book = (id: string, start: string) =>
      call(
        toolCallsMessage(assistantId, [
          {
            id,
            name: "set_appointment",
            args: { property_address: "5 Oak Ave", start_time: start, attendee_name: "Dee" },
          },
        ]),
      );
    expect(results((await book("tc_dst_1", "2027-03-12T10:00")).body)[0]?.result).toContain(
      "Friday, March 12 at 10:00 AM",
    );
    expect(results((await book("tc_dst_2", "2027-03-15T10:00")).body)[0]?.result).toContain(
      "Monday, March 15 at 10:00 AM",
    );
    const starts = (await owner.client.appointments.list.query({ status: "booked" }))
      .filter((a) => a.propertyAddress === "5 Oak Ave")
      .map((a) => a.start);
    expect(starts).toEqual(["2027-03-12T16:00:00.000Z", "2027-03-15T15:00:00.000Z"]); // CST -6, then CDT -5
  });

  it("refuses a taken time by offering the nearest free ones", async () => {
    env.google.state.calendars.add(owner.googleEmail, {
      title: "Dentist",
      start: "2027-03-16T19:00:00Z",
      end: "2027-03-16T20:00:00Z",
    });
    const answer = await call(
      toolCallsMessage(assistantId, [
        {
          id: "tc_taken",
          name: "book_appointment",
          args: { property_address: "9 Pine", start_time: "2027-03-16T14:00", attendee_name: "Sam" },
        },
      ]),
    );
    const [result] = results(answer.body);
    expect(result?.error).toMatch(/^That time is already taken\. The nearest free times are: /);
    expect(result?.error).toContain("Tuesday, March 16 at 3:00 PM (2027-03-16T15:00:00-05:00)");
    expect(env.google.state.api.calls.filter((c) => c.route === "events.insert")).toHaveLength(0);
  });

  it("asks for a readable date and time, and for missing details", async () => {
    const answer = await call(
      toolCallsMessage(assistantId, [
        {
          id: "tc_vague",
          name: "book_appointment",
          args: { property_address: "9 Pine", start_time: "next Tuesday afternoon", attendee_name: "Sam" },
        },
        { id: "tc_missing", name: "book_appointment", args: { start_time: "2027-03-16T14:00" } },
      ]),
    );
    const [vague, missing] = results(answer.body);
    expect(vague?.error).toBe("I need a date and time for the viewing, such as 2026-03-03T14:00.");
    expect(missing?.error).toBe("To book I need the property address and the caller's name.");
  });

  it("cancels a booked viewing by its appointment id", async () => {
    const booked = results(
      (
        await call(
          toolCallsMessage(assistantId, [
            {
              id: "tc_to_cancel",
              name: "book_appointment",
              args: { property_address: "3 Birch", start_time: "2027-03-17T11:00", attendee_name: "Kim" },
            },
          ]),
        )
      ).body,
    )[0]?.result;
    const appointmentId = /Appointment id ([0-9a-f-]{36})/.exec(booked ?? "")?.[1];
    expect(appointmentId).toBeDefined();
    const cancelled = await call(
      toolCallsMessage(assistantId, [
        { id: "tc_cancel", name: "cancel_appointment", args: { appointment_id: appointmentId } },
      ]),
    );
    expect(results(cancelled.body)[0]?.result).toBe(
      "Cancelled the viewing of 3 Birch on Wednesday, March 17 at 11:00 AM.",
    );
    expect(env.google.state.calendars.events(owner.googleEmail)).toHaveLength(0);
    expect((await owner.client.appointments.list.query({ status: "cancelled" })).map((a) => a.id)).toContain(
      appointmentId,
    );
  });

  it("answers within the deadline with a spoken error when the calendar hangs", async () => {
    env.google.state.api.failures.push({ hang: true });
    const started = Date.now();
    const answer = await call(
      toolCallsMessage(assistantId, [{ id: "tc_hang", name: "check_availability", args: { days_ahead: 5 } }]),
    );
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(answer.status).toBe(200);
    expect(results(answer.body)[0]?.error).toMatch(/couldn't reach the calendar/);
  });

  it("refuses politely while the agent is inactive", async () => {
    const [agent] = await owner.client.agents.list.query();
    await owner.client.agents.update.mutate({ id: agent?.id ?? "", active: false });
    try {
      const answer = await call(
        toolCallsMessage(assistantId, [{ id: "tc_off", name: "check_availability", args: {} }]),
      );
      expect(results(answer.body)[0]?.error).toBe("This assistant is not taking bookings right now.");
    } finally {
      await owner.client.agents.update.mutate({ id: agent?.id ?? "", active: true });
    }
  });
});

describe("agents.toolDefinitions", () => {
  it("lists the three tools pointing at this server's webhook, asking for ISO 8601 times", async () => {
    const tools = await owner.client.agents.toolDefinitions.query();
    expect(tools.map((tool) => tool.function.name)).toEqual([
      "check_availability",
      "book_appointment",
      "cancel_appointment",
    ]);
    expect(tools[0]?.server.url).toMatch(/\/webhooks\/vapi$/);
    expect(tools[1]?.function.description).toContain("ISO 8601");
  });

  /** What VAPI does with a pasted tool: POST the tool-calls message to server.url with server.headers. */
  async function callAsPasted(tool: RouterOutputs["agents"]["toolDefinitions"][number], toolCallId: string) {
    const message = toolCallsMessage(assistantId, [{ id: toolCallId, name: tool.function.name, args: {} }]);
    const response = await fetch(tool.server.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...tool.server.headers },
      body: JSON.stringify(message),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it("hands out definitions with the secret in server.headers that authenticate as pasted, until the secret rotates", async () => {
    const [agent] = await owner.client.agents.list.query();
    const rotated = await owner.client.agents.rotateSecret.mutate({ id: agent?.id ?? "" });
    agentSecret = rotated.webhookSecret;
    for (const tool of rotated.toolDefinitions) {
      expect(tool.server).toEqual({
        url: expect.stringMatching(/^http:\/\/.+\/webhooks\/vapi$/),
        headers: { Authorization: `Bearer ${rotated.webhookSecret}` },
      });
    }
    const pasted = rotated.toolDefinitions[0];
    if (!pasted) throw new Error("no tool definitions");
    const answer = await callAsPasted(pasted, "tc_pasted");
    expect(answer.status).toBe(200);
    expect(results(answer.body)[0]).toMatchObject({
      toolCallId: "tc_pasted",
      result: expect.stringContaining("Available"),
    });

    const again = await owner.client.agents.rotateSecret.mutate({ id: agent?.id ?? "" });
    agentSecret = again.webhookSecret;
    expect((await callAsPasted(pasted, "tc_pasted_stale")).status).toBe(401);
    const fresh = again.toolDefinitions[0];
    if (!fresh) throw new Error("no tool definitions");
    expect((await callAsPasted(fresh, "tc_pasted_fresh")).status).toBe(200);
  });

  it("names a VAPI credential instead of headers when given its id, and otherwise a placeholder that does not authenticate", async () => {
    const withCredential = await owner.client.agents.toolDefinitions.query({ credentialId: "cred_abc123" });
    for (const tool of withCredential) {
      expect(tool.server).toEqual({
        url: expect.stringMatching(/\/webhooks\/vapi$/),
        credentialId: "cred_abc123",
      });
    }
    const [placeholder] = await owner.client.agents.toolDefinitions.query();
    expect(placeholder?.server.headers?.Authorization).toBe(
      "Bearer <agent webhook secret from agents.create or agents.rotateSecret>",
    );
    if (!placeholder) throw new Error("no tool definitions");
    expect((await callAsPasted(placeholder, "tc_placeholder")).status).toBe(401);
    // A VAPI Bearer Token credential sends the secret as Authorization: Bearer, which authenticates.
    expect(
      (await call(toolCallsMessage(assistantId, [{ id: "tc_cred", name: "check_availability", args: {} }])))
        .status,
    ).toBe(200);
  });
});
