/** Builders for VAPI server messages in the shapes VAPI sends (see integrations.md, "VAPI server URL"). */
export interface ToolCallSpec {
  id: string;
  name: string;
  args: Record<string, unknown>;
}

/** `customerNumber`: the number VAPI reports the caller dialled from (none on web calls). */
export function toolCallsMessage(
  assistantId: string,
  calls: ToolCallSpec[],
  callId = "call_test_1",
  customerNumber?: string,
) {
  return {
    message: {
      type: "tool-calls",
      timestamp: Date.now(),
      call: { id: callId, assistantId, ...(customerNumber ? { customer: { number: customerNumber } } : {}) },
      assistant: { id: assistantId, name: "Viewing line" },
      toolCallList: calls.map((call) => ({
        id: call.id,
        type: "function",
        function: { name: call.name, arguments: call.args },
      })),
      toolWithToolCallList: calls.map((call) => ({
        type: "function",
        name: call.name,
        toolCall: { id: call.id, type: "function", function: { name: call.name, arguments: call.args } },
      })),
    },
  };
}

/** The newer shape alone, with arguments as a JSON string as some VAPI versions send them. */
export function toolWithToolCallListMessage(assistantId: string, calls: ToolCallSpec[]) {
  return {
    message: {
      type: "tool-calls",
      assistant: { id: assistantId },
      toolWithToolCallList: calls.map((call) => ({
        type: "function",
        name: call.name,
        toolCall: {
          id: call.id,
          type: "function",
          function: { name: call.name, arguments: JSON.stringify(call.args) },
        },
      })),
    },
  };
}

/** The legacy function-call message: one call, parameters, no tool call id. */
export function functionCallMessage(assistantId: string, name: string, parameters: Record<string, unknown>) {
  return {
    message: {
      type: "function-call",
      call: { id: "call_legacy", assistantId },
      functionCall: { name, parameters },
    },
  };
}

export async function postVapi(serverUrl: string, body: unknown, headers: Record<string, string>) {
  const response = await fetch(`${serverUrl}/webhooks/vapi`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
