import type { Database } from "../client.js";
import type { Agent, Prisma } from "../generated/prisma/client.js";
import { jsonColumn } from "../json-column.js";

export type AgentRow = Agent;

export interface AgentFields {
  name?: string;
  timeZone?: string | null;
  viewingMinutes?: number | null;
  /** Validated by the caller (validators/booking-rules.ts); null clears them. */
  bookingRules?: Prisma.InputJsonValue | null;
  active?: boolean;
  webhookSecretHash?: string;
}

export function listAgentsOfUser(db: Database, userId: string): Promise<AgentRow[]> {
  return db.agent.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });
}

export function findAgentOfUser(db: Database, userId: string, id: string): Promise<AgentRow | null> {
  return db.agent.findFirst({ where: { id, userId } });
}

/** The agent whose own webhook secret hashes to this value (unique, so at most one). */
export function findAgentBySecretHash(db: Database, webhookSecretHash: string): Promise<AgentRow | null> {
  return db.agent.findUnique({ where: { webhookSecretHash } });
}

/**
 * Agents registered under an assistant id; several users may have registered the same id. `limit`
 * keeps the answer small: the caller only needs to know whether there is none, one, or more.
 */
export function findAgentsByAssistantId(
  db: Database,
  vapiAssistantId: string,
  limit: number,
): Promise<AgentRow[]> {
  return db.agent.findMany({ where: { vapiAssistantId }, orderBy: { createdAt: "asc" }, take: limit });
}

export function insertAgent(
  db: Database,
  data: AgentFields & { userId: string; vapiAssistantId: string; name: string },
): Promise<AgentRow> {
  return db.agent.create({ data: { ...data, bookingRules: jsonColumn(data.bookingRules) } });
}

/** Updates only the owner's agent; null when there is none with that id. */
export async function updateAgentOfUser(
  db: Database,
  userId: string,
  id: string,
  data: AgentFields,
): Promise<AgentRow | null> {
  const { count } = await db.agent.updateMany({
    where: { id, userId },
    data: { ...data, bookingRules: jsonColumn(data.bookingRules) },
  });
  return count === 0 ? null : db.agent.findUnique({ where: { id } });
}

export async function deleteAgentOfUser(db: Database, userId: string, id: string): Promise<boolean> {
  const { count } = await db.agent.deleteMany({ where: { id, userId } });
  return count > 0;
}
