import type { AgentRow } from "@viewings/db";
import type { Agent, User } from "@viewings/validators";
import { resolveRules, storedAgentRules } from "../scheduling/booking-rules.js";

/** An agent as its owner sees it; its viewing length is the one in effect (its own, else the owner's). */
export function toAgentDto(row: AgentRow, owner: Pick<User, "bookingRules">): Agent {
  return {
    id: row.id,
    vapiAssistantId: row.vapiAssistantId,
    name: row.name,
    timeZone: row.timeZone,
    viewingMinutes: resolveRules(owner, row, "UTC").viewingMinutes,
    bookingRules: storedAgentRules(row.bookingRules),
    active: row.active,
    hasWebhookSecret: row.webhookSecretHash !== null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
