import { type Database, findUserById, recordVoiceCall } from "@viewings/db";
import { DomainError } from "../../errors.js";
import type { BookingDeadline } from "../scheduling/booking.js";
import type { EventsService } from "../scheduling/events-service.js";
import { toUserDto } from "../users/user-dto.js";
import { type AgentResolution, resolveAgent } from "./resolve-agent.js";
import { failed, type ToolContext, type ToolOutcome } from "./tool-context.js";
import { bookAppointment } from "./tools/book-appointment.js";
import { cancelAppointment } from "./tools/cancel-appointment.js";
import { checkAvailability } from "./tools/check-availability.js";
import { callerNumberOf, type ToolInvocation, toolInvocations, type VapiRequest } from "./vapi-message.js";

export interface VoiceAgentDependencies {
  db: Database;
  events: EventsService;
  /** Shared secrets any assistant may present (VAPI_WEBHOOK_SECRETS); agents may also have their own. */
  matchGlobalSecret: (presented: string) => boolean;
  /** The whole message is answered within this, well inside VAPI's 20 s tool timeout. */
  deadlineMs: number;
}

export type ToolCallResult = { toolCallId: string; result: string } | { toolCallId: string; error: string };

type Tool = (ctx: ToolContext, args: Record<string, unknown>) => Promise<ToolOutcome>;

/** The old backend's tool names stay as aliases, so existing assistants keep working. */
const tools: Record<string, Tool> = {
  check_availability: checkAvailability,
  get_availability: checkAvailability,
  book_appointment: bookAppointment,
  set_appointment: bookAppointment,
  cancel_appointment: cancelAppointment,
};

/** What the caller hears when no single landlord's calendar can serve the call. */
function refusalOf(resolution: AgentResolution): string | null {
  switch (resolution.outcome) {
    case "agent":
      return resolution.agent.active ? null : "This assistant is not taking bookings right now.";
    case "ambiguous":
      return "This assistant is registered to more than one account, so I can't use anyone's calendar for it. Its owner needs to send the assistant's own secret.";
    default:
      return "This assistant is not connected to a landlord's calendar yet.";
  }
}

/** What a failure sounds like to the caller; details stay in the logs. */
function spokenFailure(error: unknown): string {
  if (error instanceof DomainError) {
    if (error.kind === "precondition_failed")
      return "The landlord's calendar needs to be reconnected before I can do that.";
    if (error.kind === "conflict") return "That time is no longer free.";
  }
  return "I couldn't reach the calendar just now. Please try again in a moment.";
}

/**
 * Answers VAPI tool calls for the landlord who owns the calling assistant. The owner comes from the
 * assistant id on the call, never from tool arguments (a model can be talked into any user_id).
 */
export class VoiceAgentService {
  constructor(private readonly deps: VoiceAgentDependencies) {}

  /** Whose calendar the call is for, from the secret that authenticated it (see resolve-agent.ts). */
  resolve(message: VapiRequest["message"], presented: string): Promise<AgentResolution> {
    return resolveAgent(this.deps.db, this.deps.matchGlobalSecret, message, presented);
  }

  /** One result per tool call, in order, each a single line; never throws. */
  async answer(message: VapiRequest["message"], resolution: AgentResolution): Promise<ToolCallResult[]> {
    const calls = toolInvocations(message);
    const refusal = refusalOf(resolution);
    if (refusal || resolution.outcome !== "agent") {
      return calls.map((call) => ({ toolCallId: call.id, error: refusal ?? "" }));
    }
    const { agent } = resolution;

    const deadline = Date.now() + this.deps.deadlineMs;
    const callId = message.call?.id ?? null;
    const callerNumber = callerNumberOf(message);
    if (callId && callerNumber && calls.some((call) => tools[call.name] === bookAppointment)) {
      await recordVoiceCall(this.deps.db, { agentId: agent.id, vapiCallId: callId, callerNumber });
    }
    const owner = await findUserById(this.deps.db, agent.userId);
    if (!owner) return calls.map((call) => ({ toolCallId: call.id, error: "This assistant has no owner." }));
    const ownerDto = toUserDto(owner);
    const rules = this.deps.events.rulesOfAgent(ownerDto, agent);
    const results: ToolCallResult[] = [];
    for (const call of calls) {
      const ctx: ToolContext = {
        agent,
        owner: ownerDto,
        timeZone: rules.timeZone,
        rules,
        callId,
        callerNumber,
        toolCallId: call.id,
        db: this.deps.db,
        events: this.deps.events,
        deadline: () => bookingDeadline(deadline - Date.now()),
      };
      const outcome = await this.run(ctx, call, deadline - Date.now());
      results.push({ toolCallId: call.id, ...outcome });
    }
    return results;
  }

  /**
   * Runs one tool. Nothing races the work: every provider call below runs under a signal that ends by
   * the message's deadline (or the provider deadline, which is shorter), so the answer is on time and
   * nothing keeps running after it.
   */
  private async run(ctx: ToolContext, call: ToolInvocation, remainingMs: number): Promise<ToolOutcome> {
    const tool = tools[call.name];
    if (!tool) return failed(`Unknown tool ${call.name}.`);
    if (remainingMs <= 0) return failed("I couldn't reach the calendar in time. Please try again.");
    return tool(ctx, call.args).catch((error: unknown) => failed(spokenFailure(error)));
  }
}

/**
 * A booking gets 40% of what is left of the message's deadline; the rest is kept to undo a create
 * that may have happened, inside VAPI's timeout. An undo meets the same slow provider as the create
 * (it lands only after the create does), so it needs more time than the booking had.
 */
function bookingDeadline(remainingMs: number): BookingDeadline {
  const bookingMs = Math.max(1, Math.floor(remainingMs * 0.4));
  return { signal: AbortSignal.timeout(bookingMs), compensationMs: remainingMs - bookingMs };
}
