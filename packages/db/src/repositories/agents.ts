import type { Database } from "../client.js";
import type { Agent } from "../generated/prisma/client.js";

export type AgentRow = Agent;

export interface AgentFields {
  name?: string;
  timeZone?: string | null;
  viewingMinutes?: number;
  active?: boolean;
  webhookSecretHash?: string;
}

export function listAgentsOfUser(db: Database, userId: string): Promise<AgentRow[]> {
  return db.agent.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });
}

export function findAgentOfUser(db: Database, userId: string, id: string): Promise<AgentRow | null> {
  return db.agent.findFirst({ where: { id, userId } });
}

export function findAgentByAssistantId(db: Database, vapiAssistantId: string): Promise<AgentRow | null> {
  return db.agent.findUnique({ where: { vapiAssistantId } });
}

export function insertAgent(
  db: Database,
  data: AgentFields & { userId: string; vapiAssistantId: string; name: string },
): Promise<AgentRow> {
  return db.agent.create({ data });
}

/** Updates only the owner's agent; null when there is none with that id. */
export async function updateAgentOfUser(
  db: Database,
  userId: string,
  id: string,
  data: AgentFields,
): Promise<AgentRow | null> {
  const { count } = await db.agent.updateMany({ where: { id, userId }, data });
  return count === 0 ? null : db.agent.findUnique({ where: { id } });
}

export async function deleteAgentOfUser(db: Database, userId: string, id: string): Promise<boolean> {
  const { count } = await db.agent.deleteMany({ where: { id, userId } });
  return count > 0;
}
