import {
  type AgentRow,
  type Database,
  deleteAgentOfUser,
  findAgentOfUser,
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
  User,
  VapiToolDefinition,
} from "@viewings/validators";
import { conflict, notFound } from "../../errors.js";
import type { SchedulingRules } from "../scheduling/booking-rules.js";
import { type ToolServerAuth, vapiToolDefinitions } from "../voice-agent/tool-definitions.js";
import { toAgentDto } from "./agent-dto.js";
import { issueWebhookSecret } from "./webhook-secret.js";

export interface AgentsDependencies {
  /** This backend's public /webhooks/vapi URL, for the tool definitions. */
  webhookUrl: () => string;
  /** The booking rules in force for an agent, to describe them in its tool definitions. */
  rulesOf: (owner: User, agent: AgentRow) => SchedulingRules;
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

  async list(owner: User): Promise<Agent[]> {
    return (await listAgentsOfUser(this.db, owner.id)).map((row) => toAgentDto(row, owner));
  }

  async create(owner: User, input: CreateAgentInput): Promise<AgentWithSecret> {
    const { secret, hash } = issueWebhookSecret();
    try {
      const row = await insertAgent(this.db, {
        userId: owner.id,
        vapiAssistantId: input.vapiAssistantId,
        name: input.name,
        timeZone: input.timeZone ?? null,
        viewingMinutes: input.viewingMinutes ?? null,
        bookingRules: input.bookingRules ?? null,
        active: input.active,
        webhookSecretHash: hash,
      });
      return this.withSecret(owner, row, secret);
    } catch (error) {
      if (violatedUniqueConstraint(error)?.includes("vapi_assistant_id")) {
        throw conflict("You have already registered this VAPI assistant");
      }
      throw error;
    }
  }

  /** Changes the fields given; `bookingRules` are replaced as a whole (null: all the owner's). */
  async update(owner: User, input: UpdateAgentInput): Promise<Agent> {
    const { id, ...fields } = input;
    const row = await updateAgentOfUser(this.db, owner.id, id, fields);
    if (!row) throw notFound("No such agent");
    return toAgentDto(row, owner);
  }

  async rotateSecret(owner: User, id: string): Promise<AgentWithSecret> {
    const { secret, hash } = issueWebhookSecret();
    const row = await updateAgentOfUser(this.db, owner.id, id, { webhookSecretHash: hash });
    if (!row) throw notFound("No such agent");
    return this.withSecret(owner, row, secret);
  }

  async remove(userId: string, id: string): Promise<{ id: string }> {
    if (!(await deleteAgentOfUser(this.db, userId, id))) throw notFound("No such agent");
    return { id };
  }

  /**
   * The tools to paste into VAPI; without the secret (shown only once) they name a credential or a
   * placeholder. For an agent, the descriptions tell the model its booking rules.
   */
  async toolDefinitions(owner: User, auth: ToolServerAuth, agentId?: string): Promise<VapiToolDefinition[]> {
    const agent = agentId ? await findAgentOfUser(this.db, owner.id, agentId) : null;
    if (agentId && !agent) throw notFound("agentId: no such agent");
    return this.definitionsFor(owner, agent, auth);
  }

  private definitionsFor(owner: User, agent: AgentRow | null, auth: ToolServerAuth): VapiToolDefinition[] {
    const rules = agent ? this.deps.rulesOf(owner, agent) : null;
    return vapiToolDefinitions(this.deps.webhookUrl(), auth, rules);
  }

  /** The secret is shown once: with the agent, and inside tool definitions that can be pasted as they are. */
  private withSecret(owner: User, row: AgentRow, secret: string): AgentWithSecret {
    return {
      agent: toAgentDto(row, owner),
      webhookSecret: secret,
      toolDefinitions: this.definitionsFor(owner, row, { secret }),
    };
  }
}
