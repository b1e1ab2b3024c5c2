import {
  type Database,
  deleteAgentOfUser,
  findAgentOfUser,
  insertAgent,
  listAgentsOfUser,
  updateAgentOfUser,
  violatedUniqueConstraint,
} from "@viewings/db";
import type { Agent, CreateAgentInput, UpdateAgentInput } from "@viewings/validators";
import { conflict, notFound } from "../../errors.js";
import { toAgentDto } from "./agent-dto.js";
import { issueWebhookSecret } from "./webhook-secret.js";

/** A landlord's VAPI assistants. Every method is scoped to the owner: another user's agent is "not found". */
export class AgentsService {
  constructor(private readonly db: Database) {}

  async list(userId: string): Promise<Agent[]> {
    return (await listAgentsOfUser(this.db, userId)).map(toAgentDto);
  }

  async create(userId: string, input: CreateAgentInput): Promise<{ agent: Agent; webhookSecret: string }> {
    const { secret, hash } = issueWebhookSecret();
    try {
      const row = await insertAgent(this.db, {
        userId,
        vapiAssistantId: input.vapiAssistantId,
        name: input.name,
        timeZone: input.timeZone ?? null,
        viewingMinutes: input.viewingMinutes,
        active: input.active,
        webhookSecretHash: hash,
      });
      return { agent: toAgentDto(row), webhookSecret: secret };
    } catch (error) {
      if (violatedUniqueConstraint(error)?.includes("vapi_assistant_id")) {
        throw conflict("This VAPI assistant is already registered");
      }
      throw error;
    }
  }

  async update(userId: string, input: UpdateAgentInput): Promise<Agent> {
    const { id, ...fields } = input;
    const row = await updateAgentOfUser(this.db, userId, id, fields);
    if (!row) throw notFound("No such agent");
    return toAgentDto(row);
  }

  async rotateSecret(userId: string, id: string): Promise<{ agent: Agent; webhookSecret: string }> {
    const { secret, hash } = issueWebhookSecret();
    const row = await updateAgentOfUser(this.db, userId, id, { webhookSecretHash: hash });
    if (!row) throw notFound("No such agent");
    return { agent: toAgentDto(row), webhookSecret: secret };
  }

  async remove(userId: string, id: string): Promise<{ id: string }> {
    if (!(await deleteAgentOfUser(this.db, userId, id))) throw notFound("No such agent");
    return { id };
  }

  async get(userId: string, id: string): Promise<Agent> {
    const row = await findAgentOfUser(this.db, userId, id);
    if (!row) throw notFound("No such agent");
    return toAgentDto(row);
  }
}
