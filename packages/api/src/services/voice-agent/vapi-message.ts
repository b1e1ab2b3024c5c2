import { z } from "zod";

/**
 * VAPI's server-URL "tool-calls" message. VAPI has sent the same calls in several shapes over time
 * (toolCallList, toolWithToolCallList, legacy functionCall, arguments as an object or a JSON string,
 * or under function.parameters), so the schema accepts them all and normalise() yields one list.
 */
const argumentsSchema = z.union([z.record(z.string(), z.unknown()), z.string()]).optional();

const functionSchema = z.object({
  name: z.string(),
  arguments: argumentsSchema,
  parameters: argumentsSchema,
});

const toolCallSchema = z.object({
  /** Stored (varchar 255), as is the call id: a longer one is not VAPI's and the message is refused. */
  id: z.string().min(1).max(255),
  name: z.string().optional(),
  arguments: argumentsSchema,
  parameters: argumentsSchema,
  function: functionSchema.optional(),
});

/** Who is on the line: VAPI's customer object, with the caller's number (E.164) on phone calls. */
const customerSchema = z.looseObject({ number: z.string().nullish() }).nullish();

export const vapiRequestSchema = z.object({
  message: z.object({
    type: z.string(),
    call: z
      .looseObject({
        id: z.string().max(255).optional(),
        assistantId: z.string().nullish(),
        customer: customerSchema,
      })
      .optional(),
    customer: customerSchema,
    assistant: z.looseObject({ id: z.string().optional() }).nullish(),
    toolCallList: z.array(toolCallSchema).optional(),
    toolWithToolCallList: z
      .array(z.looseObject({ name: z.string().optional(), toolCall: toolCallSchema }))
      .optional(),
    functionCall: functionSchema.optional(),
  }),
});
export type VapiRequest = z.infer<typeof vapiRequestSchema>;

export interface ToolInvocation {
  /** VAPI's tool call id, echoed back so the model can match each result to its call. */
  id: string;
  name: string;
  args: Record<string, unknown>;
}

function parseArguments(raw: Record<string, unknown> | string | undefined): Record<string, unknown> {
  if (raw === undefined) return {};
  if (typeof raw !== "string") return raw;
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed && typeof parsed === "object" && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

type ToolCall = z.infer<typeof toolCallSchema>;

function fromToolCall(call: ToolCall, fallbackName?: string): ToolInvocation {
  const name = call.function?.name ?? call.name ?? fallbackName ?? "";
  const args = call.function?.arguments ?? call.function?.parameters ?? call.arguments ?? call.parameters;
  return { id: call.id, name, args: parseArguments(args) };
}

/** Every tool call in the message, once each, in the order VAPI sent them. */
export function toolInvocations(message: VapiRequest["message"]): ToolInvocation[] {
  if (message.toolCallList?.length) return message.toolCallList.map((call) => fromToolCall(call));
  if (message.toolWithToolCallList?.length) {
    return message.toolWithToolCallList.map((entry) => fromToolCall(entry.toolCall, entry.name));
  }
  if (message.functionCall) {
    const { name, parameters, arguments: args } = message.functionCall;
    return [{ id: message.call?.id ?? "function-call", name, args: parseArguments(parameters ?? args) }];
  }
  return [];
}

/** The assistant that placed the call: it identifies the landlord. Tool arguments never do. */
export function assistantIdOf(message: VapiRequest["message"]): string | undefined {
  return message.call?.assistantId ?? message.assistant?.id ?? undefined;
}

/** The number the caller dialled from, as VAPI reports it; null on web calls or when it is unusable. */
export function callerNumberOf(message: VapiRequest["message"]): string | null {
  const number = (message.call?.customer?.number ?? message.customer?.number)?.trim();
  return number && number.length <= 50 ? number : null;
}
