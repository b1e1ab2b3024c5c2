import { describe, expect, it } from "vitest";
import { readModelTime, spokenDateTime } from "../src/services/voice-agent/spoken-time.js";
import {
  assistantIdOf,
  toolInvocations,
  vapiRequestSchema,
} from "../src/services/voice-agent/vapi-message.js";

describe("VAPI tool-call payloads", () => {
  it("reads toolCallList with object or string arguments, in order", () => {
    const { message } = vapiRequestSchema.parse({
      message: {
        type: "tool-calls",
        call: { id: "call_1", assistantId: "asst_1" },
        toolCallList: [
          {
            id: "tc_1",
            type: "function",
            function: { name: "check_availability", arguments: { days_ahead: 3 } },
          },
          {
            id: "tc_2",
            type: "function",
            function: { name: "book_appointment", arguments: '{"property_address":"1 Main St"}' },
          },
        ],
      },
    });
    expect(toolInvocations(message)).toEqual([
      { id: "tc_1", name: "check_availability", args: { days_ahead: 3 } },
      { id: "tc_2", name: "book_appointment", args: { property_address: "1 Main St" } },
    ]);
    expect(assistantIdOf(message)).toBe("asst_1");
  });

  it("falls back to toolWithToolCallList, function.parameters and legacy functionCall", () => {
    const withList = vapiRequestSchema.parse({
      message: {
        type: "tool-calls",
        assistant: { id: "asst_2" },
        toolWithToolCallList: [
          {
            type: "function",
            name: "get_availability",
            toolCall: {
              id: "tc_9",
              type: "function",
              function: { name: "get_availability", parameters: { property_address: "x" } },
            },
          },
        ],
      },
    }).message;
    expect(toolInvocations(withList)).toEqual([
      { id: "tc_9", name: "get_availability", args: { property_address: "x" } },
    ]);
    expect(assistantIdOf(withList)).toBe("asst_2");

    const legacy = vapiRequestSchema.parse({
      message: {
        type: "function-call",
        call: { id: "call_7" },
        functionCall: { name: "set_appointment", parameters: { start_time: "t" } },
      },
    }).message;
    expect(toolInvocations(legacy)).toEqual([
      { id: "call_7", name: "set_appointment", args: { start_time: "t" } },
    ]);
  });
});

describe("times for speech", () => {
  it("phrases an instant in the landlord's zone", () => {
    expect(spokenDateTime(new Date("2026-03-03T20:00:00Z"), "America/Chicago")).toBe(
      "Tuesday, March 3 at 2:00 PM",
    );
  });

  it("reads a naive time in the landlord's zone and an offset time as given, across DST", () => {
    expect(readModelTime("2026-03-06T14:00", "America/Chicago")?.toISOString()).toBe(
      "2026-03-06T20:00:00.000Z",
    );
    expect(readModelTime("2026-03-09T14:00", "America/Chicago")?.toISOString()).toBe(
      "2026-03-09T19:00:00.000Z",
    );
    expect(readModelTime("2026-03-09T14:00:00+01:00", "America/Chicago")?.toISOString()).toBe(
      "2026-03-09T13:00:00.000Z",
    );
    expect(readModelTime("next tuesday", "America/Chicago")).toBeNull();
    expect(readModelTime("2026-13-40T25:00", "America/Chicago")).toBeNull();
  });
});
