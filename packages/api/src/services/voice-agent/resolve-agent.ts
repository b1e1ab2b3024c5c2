import { type AgentRow, type Database, findAgentBySecretHash, findAgentsByAssistantId } from "@viewings/db";
import { hashWebhookSecret } from "../agents/webhook-secret.js";
import { assistantIdOf, type VapiRequest } from "./vapi-message.js";

/** Whose calendar a VAPI request is for, decided from the secret it presented and the assistant id it names. */
export type AgentResolution =
  /** The credential is nobody's, or an agent's own secret was sent for another assistant: 401. */
  | { outcome: "refused"; reason: string }
  | { outcome: "agent"; agent: AgentRow }
  /** A shared secret and an assistant id nobody registered. */
  | { outcome: "unregistered" }
  /** A shared secret and an assistant id that several users registered: served to none of them. */
  | { outcome: "ambiguous"; assistantId: string; agentIds: string[] };

/**
 * An agent's own secret identifies exactly that agent (its hash is unique). A shared secret
 * (VAPI_WEBHOOK_SECRETS) only proves the request came from the operator's VAPI, so the assistant id
 * decides, and only when a single user registered it: anyone may register any id, so with two
 * registrations neither can be told to be the assistant's real owner.
 */
export async function resolveAgent(
  db: Database,
  matchSharedSecret: (presented: string) => boolean,
  message: VapiRequest["message"],
  presented: string,
): Promise<AgentResolution> {
  const assistantId = assistantIdOf(message);
  if (matchSharedSecret(presented)) {
    if (!assistantId) return { outcome: "unregistered" };
    // Two are enough to refuse; a few more name the registrations in the operator's log.
    const agents = await findAgentsByAssistantId(db, assistantId, 10);
    const [only] = agents;
    if (agents.length > 1) return { outcome: "ambiguous", assistantId, agentIds: agents.map((a) => a.id) };
    return only ? { outcome: "agent", agent: only } : { outcome: "unregistered" };
  }
  const agent = await findAgentBySecretHash(db, hashWebhookSecret(presented));
  if (!agent) return { outcome: "refused", reason: "unknown credential" };
  if (assistantId && assistantId !== agent.vapiAssistantId) {
    return { outcome: "refused", reason: "an agent's secret sent for another assistant" };
  }
  return { outcome: "agent", agent };
}
