import type { AgentRow, Database } from "@viewings/db";
import type { User } from "@viewings/validators";
import type { BookingDeadline } from "../scheduling/booking.js";
import type { SchedulingRules } from "../scheduling/booking-rules.js";
import type { EventsService } from "../scheduling/events-service.js";

/** What one tool call runs with: the landlord (from the assistant, never from arguments) and their zone. */
export interface ToolContext {
  agent: AgentRow;
  owner: User;
  timeZone: string;
  /** The agent's booking rules (over its owner's), in `timeZone`. */
  rules: SchedulingRules;
  callId: string | null;
  /** The number the caller dialled from (VAPI's call.customer.number), when VAPI gives one. */
  callerNumber: string | null;
  toolCallId: string;
  db: Database;
  events: EventsService;
  /** A booking's deadline, taken from what is left of the message's own (see VoiceAgentService). */
  deadline: () => BookingDeadline;
}

/** A tool's answer: one line the assistant can say, or one line saying what went wrong. */
export type ToolOutcome = { result: string } | { error: string };

export const said = (text: string): ToolOutcome => ({ result: oneLine(text) });
export const failed = (text: string): ToolOutcome => ({ error: oneLine(text) });

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
