import {
  type Database,
  deleteAgentOfUser,
  insertAgent,
  listAgentsOfUser,
  updateAgentOfUser,
  violatedUniqueConstraint,
} from "@viewings/db";
import type {
  Agent,
  AgentWithSecret,
  CreateAgentInput,
  UpdateAgentInput,
  VapiToolDefinition,
} from "@viewings/validators";
import { conflict, notFound } from "../../errors.js";
import { type ToolServerAuth, vapiToolDefinitions } from "../voice-agent/tool-definitions.js";
import { toAgentDto } from "./agent-dto.js";
import { issueWebhookSecret } from "./webhook-secret.js";

export interface AgentsDependencies {
  /** This backend's public /webhooks/vapi URL, for the tool definitions. */
  webhookUrl: () => string;
}

/**
 * A landlord's VAPI assistants. Every method is scoped to the owner: another user's agent is "not
 * found", and another user's registration of the same assistant id is invisible (ids are unique per
 * user only, so registering one tells nothing about who else has).
 */
export class AgentsService {
  constructor(
    private readonly db: Database,
    private readonly deps: AgentsDependencies,
  ) {}

  async list(userId: string): Promise<Agent[]> {
    return (await listAgentsOfUser(this.db, userId)).map(toAgentDto);
  }

  async create(userId: string, input: CreateAgentInput): Promise<AgentWithSecret> {
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
      return this.withSecret(toAgentDto(row), secret);
    } catch (error) {
      if (violatedUniqueConstraint(error)?.includes("vapi_assistant_id")) {
        throw conflict("You have already registered this VAPI assistant");
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

  async rotateSecret(userId: string, id: string): Promise<AgentWithSecret> {
    const { secret, hash } = issueWebhookSecret();
    const row = await updateAgentOfUser(this.db, userId, id, { webhookSecretHash: hash });
    if (!row) throw notFound("No such agent");
    return this.withSecret(toAgentDto(row), secret);
  }

  async remove(userId: string, id: string): Promise<{ id: string }> {
    if (!(await deleteAgentOfUser(this.db, userId, id))) throw notFound("No such agent");
    return { id };
  }

  /** The tools to paste into VAPI; without the secret (shown only once) they name a credential or a placeholder. */
  toolDefinitions(auth: ToolServerAuth): VapiToolDefinition[] {
    return vapiToolDefinitions(this.deps.webhookUrl(), auth);
  }

  /** The secret is shown once: with the agent, and inside tool definitions that can be pasted as they are. */
  private withSecret(agent: Agent, secret: string): AgentWithSecret {
    return { agent, webhookSecret: secret, toolDefinitions: this.toolDefinitions({ secret }) };
  }
}
