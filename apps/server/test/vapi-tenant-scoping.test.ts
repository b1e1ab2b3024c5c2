// Landlords share one webhook: a call must only ever reach the calendar of the landlord it belongs to.
import { pino } from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type EventsEnv, type EventsUser, startEventsEnv } from "./support/events-env.js";
import { postVapi, type ToolCallSpec, toolCallsMessage } from "./support/vapi.js";

const sharedSecret = "shared_vapi_secret_0123456789";
type Results = Array<{ toolCallId: string; result?: string; error?: string }>;

const warnings: Array<Record<string, unknown>> = [];
let env: EventsEnv;
let ann: EventsUser;
let bob: EventsUser;
let sly: EventsUser;

beforeAll(async () => {
  const logger = pino({ level: "warn" }, { write: (line: string) => void warnings.push(JSON.parse(line)) });
  env = await startEventsEnv(
    // No cache: each answer must come from the calendar it was served from.
    { VAPI_WEBHOOK_SECRETS: sharedSecret, EVENTS_CACHE_TTL_MS: "0" },
    { logger },
  );
  ann = await env.user("user_scope_ann", ["google"]);
  bob = await env.user("user_scope_bob", ["google"]);
  sly = await env.user("user_scope_sly", ["google"]);
});
afterAll(() => env?.close());
beforeEach(() => {
  env.resetCalls();
  warnings.length = 0;
});

async function send(
  secret: string,
  assistantId: string,
  calls: ToolCallSpec[],
  callId?: string,
  from?: string,
) {
  const answer = await postVapi(env.server.url, toolCallsMessage(assistantId, calls, callId, from), {
    authorization: `Bearer ${secret}`,
  });
  return { status: answer.status, results: answer.body.results as Results };
}

const booking = (id: string, address: string, start: string): ToolCallSpec => ({
  id,
  name: "book_appointment",
  args: { property_address: address, start_time: start, attendee_name: "Casey Caller" },
});
const availability = (id: string): ToolCallSpec => ({
  id,
  name: "check_availability",
  args: { days_ahead: 3 },
});
const eventsOf = (user: EventsUser) => env.google.state.calendars.events(user.googleEmail);
const providerCallsFor = (user: EventsUser) =>
  env.google.state.api.calls.filter((call) => call.account === user.googleEmail);

describe("tool-call ids are unique per agent", () => {
  it("books the same tool-call id for each landlord's assistant, never answering one with the other's booking", async () => {
    const annAgent = await ann.client.agents.create.mutate({ vapiAssistantId: "asst_ann_tc", name: "Ann" });
    const bobAgent = await bob.client.agents.create.mutate({ vapiAssistantId: "asst_bob_tc", name: "Bob" });

    const annFirst = await send(annAgent.webhookSecret, "asst_ann_tc", [
      booking("tc_replayed", "1 Ann Street", "2027-04-06T10:00"),
    ]);
    const bobReplay = await send(bobAgent.webhookSecret, "asst_bob_tc", [
      booking("tc_replayed", "2 Bob Road", "2027-04-06T11:00"),
    ]);
    const annRetry = await send(annAgent.webhookSecret, "asst_ann_tc", [
      booking("tc_replayed", "1 Ann Street", "2027-04-06T10:00"),
    ]);

    const annText = annFirst.results[0]?.result ?? "";
    const bobText = bobReplay.results[0]?.result ?? "";
    expect(bobText).toMatch(
      /^Booked a viewing of 2 Bob Road on Tuesday, April 6 at 11:00 AM\. Appointment id /,
    );
    expect(bobText).not.toContain("Ann Street");
    const idIn = (text: string) => /Appointment id ([0-9a-f-]{36})/.exec(text)?.[1];
    expect(idIn(bobText)).not.toBe(idIn(annText));
    // Ann's own retry still finds Ann's booking and books nothing more.
    expect(annRetry.results[0]?.result).toBe(annText);

    expect(eventsOf(ann).map((event) => event.title)).toEqual(["Property Viewing: 1 Ann Street"]);
    expect(eventsOf(bob).map((event) => event.title)).toEqual(["Property Viewing: 2 Bob Road"]);
    const [bobAppointment] = await bob.client.appointments.list.query({});
    expect(bobAppointment).toMatchObject({
      id: idIn(bobText),
      propertyAddress: "2 Bob Road",
      status: "booked",
    });
    expect((await ann.client.appointments.list.query({})).map((a) => a.propertyAddress)).toEqual([
      "1 Ann Street",
    ]);
  });
});

describe("cancel_appointment by start time", () => {
  it("cancels nothing booked by another call or number, says so, and lets the booking caller cancel", async () => {
    const { webhookSecret } = await ann.client.agents.create.mutate({
      vapiAssistantId: "asst_ann_cancel",
      name: "Ann cancels",
    });
    const call = (calls: ToolCallSpec[], callId: string, from?: string) =>
      send(webhookSecret, "asst_ann_cancel", calls, callId, from);
    const start = "2027-04-07T14:00";
    const booked = await call([booking("tc_c_book", "7 Cedar", start)], "call_booker", "+15550001111");
    expect(booked.results[0]?.result).toMatch(/^Booked a viewing of 7 Cedar/);
    const cancelByTime = (id: string) => [{ id, name: "cancel_appointment", args: { start_time: start } }];

    for (const [callId, from] of [
      ["call_stranger", "+15559990000"],
      ["call_web", undefined],
    ] as const) {
      const refused = await call(cancelByTime(`tc_c_${callId}`), callId, from);
      expect(refused.results[0]?.error).toBe(
        "I couldn't find a viewing at that time booked on this call or from this phone number. To cancel another booking I need its appointment id.",
      );
    }
    expect(eventsOf(ann).filter((event) => event.title === "Property Viewing: 7 Cedar")).toHaveLength(1);
    expect(
      (await ann.client.appointments.list.query({ status: "booked" })).map((a) => a.propertyAddress),
    ).toContain("7 Cedar");

    // The same number calling back later may cancel by time.
    const cancelled = await call(cancelByTime("tc_c_again"), "call_booker_again", "+15550001111");
    expect(cancelled.results[0]?.result).toBe(
      "Cancelled the viewing of 7 Cedar on Wednesday, April 7 at 2:00 PM.",
    );
    expect(eventsOf(ann).filter((event) => event.title === "Property Viewing: 7 Cedar")).toHaveLength(0);
  });

  it("lets the same call cancel by start time what it booked, even without a caller number", async () => {
    const { webhookSecret } = await ann.client.agents.create.mutate({
      vapiAssistantId: "asst_ann_web",
      name: "Web",
    });
    const start = "2027-04-08T09:30";
    await send(webhookSecret, "asst_ann_web", [booking("tc_w_book", "8 Walnut", start)], "call_web_only");
    const cancelled = await send(
      webhookSecret,
      "asst_ann_web",
      [{ id: "tc_w_cancel", name: "cancel_appointment", args: { start_time: start } }],
      "call_web_only",
    );
    expect(cancelled.results[0]?.result).toBe(
      "Cancelled the viewing of 8 Walnut on Thursday, April 8 at 9:30 AM.",
    );
  });
});

describe("assistant-id squatting", () => {
  const ambiguous =
    "This assistant is registered to more than one account, so I can't use anyone's calendar for it. Its owner needs to send the assistant's own secret.";

  async function expectServedTo(user: EventsUser, secret: string, assistantId: string) {
    const answer = await send(secret, assistantId, [availability(`tc_${user.id}_${Date.now()}`)]);
    expect(answer.status).toBe(200);
    expect(answer.results[0]?.result).toMatch(/^Available 30-minute viewing times/);
    expect(providerCallsFor(user).length).toBeGreaterThan(0);
  }

  async function expectRefusedToAll(assistantId: string, victims: EventsUser[]) {
    env.resetCalls();
    const answer = await send(sharedSecret, assistantId, [
      availability("tc_shared_1"),
      booking("tc_shared_2", "X", "2027-04-09T10:00"),
    ]);
    expect(answer.status).toBe(200);
    expect(answer.results).toEqual([
      { toolCallId: "tc_shared_1", error: ambiguous },
      { toolCallId: "tc_shared_2", error: ambiguous },
    ]);
    for (const victim of victims) expect(providerCallsFor(victim)).toEqual([]);
    const warning = warnings.find((entry) => entry.assistantId === assistantId);
    expect(warning?.msg).toBe(
      "vapi call refused: a shared secret named an assistant id registered by several users",
    );
    expect(warning?.agentIds).toHaveLength(2);
  }

  it("squatter first: the owner still registers, the owner's secret reaches only the owner, the shared secret serves nobody", async () => {
    const squat = await sly.client.agents.create.mutate({ vapiAssistantId: "asst_real_1", name: "Mine" });
    await expectServedTo(sly, sharedSecret, "asst_real_1"); // alone, the squatter's registration is trusted
    const owner = await ann.client.agents.create.mutate({
      vapiAssistantId: "asst_real_1",
      name: "Ann's line",
    });

    env.resetCalls();
    await expectServedTo(ann, owner.webhookSecret, "asst_real_1");
    expect(providerCallsFor(sly)).toEqual([]);
    await expectRefusedToAll("asst_real_1", [ann, sly]);
    // The squatter's own secret reaches only the squatter's calendar, never the owner's.
    env.resetCalls();
    await expectServedTo(sly, squat.webhookSecret, "asst_real_1");
    expect(providerCallsFor(ann)).toEqual([]);
  });

  it("owner first: the squatter's registration looks like any other and takes nothing from the owner", async () => {
    const owner = await bob.client.agents.create.mutate({
      vapiAssistantId: "asst_real_2",
      name: "Bob's line",
    });
    await expectServedTo(bob, sharedSecret, "asst_real_2");
    const squat = await sly.client.agents.create.mutate({ vapiAssistantId: "asst_real_2", name: "Mine too" });
    expect(squat.agent).toMatchObject({ vapiAssistantId: "asst_real_2", name: "Mine too", active: true });
    expect(JSON.stringify(squat)).not.toContain(owner.agent.id);

    env.resetCalls();
    await expectServedTo(bob, owner.webhookSecret, "asst_real_2");
    expect(providerCallsFor(sly)).toEqual([]);
    await expectRefusedToAll("asst_real_2", [bob, sly]);
  });

  it("refuses an agent's own secret sent for another assistant id, and serves it for a call naming none", async () => {
    const { webhookSecret } = await ann.client.agents.create.mutate({
      vapiAssistantId: "asst_ann_own",
      name: "Own",
    });
    const answer = await send(webhookSecret, "asst_someone_else", [availability("tc_mismatch")]);
    expect(answer.status).toBe(401);
    expect(warnings.some((entry) => entry.msg === "vapi request refused")).toBe(true);
    expect(JSON.stringify(warnings)).not.toContain(webhookSecret);

    // A transient assistant (no assistant id on the call) is known by the secret alone.
    const transient = {
      message: {
        type: "tool-calls",
        call: { id: "call_transient" },
        toolCallList: [
          { id: "tc_transient", type: "function", function: { name: "check_availability", arguments: {} } },
        ],
      },
    };
    const served = await postVapi(env.server.url, transient, { authorization: `Bearer ${webhookSecret}` });
    expect((served.body.results as Results)[0]?.result).toMatch(/^Available 30-minute viewing times/);
  });
});
