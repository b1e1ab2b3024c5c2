import type { AgentRow } from "@viewings/db";
import type { Agent } from "@viewings/validators";

export function toAgentDto(row: AgentRow): Agent {
  return {
    id: row.id,
    vapiAssistantId: row.vapiAssistantId,
    name: row.name,
    timeZone: row.timeZone,
    viewingMinutes: row.viewingMinutes,
    active: row.active,
    hasWebhookSecret: row.webhookSecretHash !== null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
