import { z } from "zod";
import { agentBookingRulesSchema } from "./booking-rules.js";
import { isoDateTimeSchema, timeZoneSchema, uuidSchema } from "./common.js";

export const viewingMinutesSchema = z.number().int().min(5).max(240);

export const agentSchema = z.object({
  id: uuidSchema,
  vapiAssistantId: z.string(),
  name: z.string(),
  /** Null: the owner's time zone applies. */
  timeZone: z.string().nullable(),
  /** The viewing length in effect: the agent's own, else its owner's default. */
  viewingMinutes: z.number().int(),
  /** The agent's own booking rules (null: all its owner's); what they leave out comes from the owner. */
  bookingRules: agentBookingRulesSchema.nullable(),
  active: z.boolean(),
  /** Whether the agent has its own webhook secret (the value is shown once, when issued). */
  hasWebhookSecret: z.boolean(),
  createdAt: isoDateTimeSchema,
  updatedAt: isoDateTimeSchema,
});
export type Agent = z.infer<typeof agentSchema>;

/**
 * A VAPI function tool as VAPI's API and dashboard take it (Tools > Function, or `model.tools` of an
 * assistant). `server` is VAPI's Server object: the URL, and either `headers` VAPI sends with every
 * tool call or the id of a VAPI credential that holds the secret.
 */
export const vapiToolDefinitionSchema = z.object({
  type: z.literal("function"),
  async: z.boolean(),
  server: z.object({
    url: z.string(),
    headers: z.record(z.string(), z.string()).optional(),
    credentialId: z.string().optional(),
  }),
  function: z.object({
    name: z.string(),
    description: z.string(),
    parameters: z.record(z.string(), z.unknown()),
  }),
});
export type VapiToolDefinition = z.infer<typeof vapiToolDefinitionSchema>;

export const agentWithSecretSchema = z.object({
  agent: agentSchema,
  /** Put this in the VAPI assistant's server credential (Bearer) or X-Vapi-Secret. Shown only once. */
  webhookSecret: z.string(),
  /** The tools to paste into VAPI, already carrying this secret in `server.headers`. Shown only once. */
  toolDefinitions: z.array(vapiToolDefinitionSchema),
});
export type AgentWithSecret = z.infer<typeof agentWithSecretSchema>;

/** Without a credential id the definitions carry a placeholder where the agent's secret goes. */
export const toolDefinitionsInput = z
  .object({
    /** The id of a VAPI Bearer Token credential holding the agent's webhook secret. */
    credentialId: z.string().trim().min(1).max(255).optional(),
    /** Describe this agent's booking rules (viewing length, hours, notice) to the model. */
    agentId: uuidSchema.optional(),
  })
  .optional();

export const createAgentInput = z.object({
  vapiAssistantId: z.string().trim().min(1).max(255),
  name: z.string().trim().min(1).max(100),
  timeZone: timeZoneSchema.nullish(),
  /** Default: the owner's viewing length. */
  viewingMinutes: viewingMinutesSchema.optional(),
  bookingRules: agentBookingRulesSchema.nullish(),
  active: z.boolean().default(true),
});
export type CreateAgentInput = z.infer<typeof createAgentInput>;

export const updateAgentInput = z.object({
  id: uuidSchema,
  name: z.string().trim().min(1).max(100).optional(),
  timeZone: timeZoneSchema.nullish(),
  /** null: the owner's viewing length. */
  viewingMinutes: viewingMinutesSchema.nullish(),
  /** Replaced as a whole; null: all the owner's rules. */
  bookingRules: agentBookingRulesSchema.nullish(),
  active: z.boolean().optional(),
});
export type UpdateAgentInput = z.infer<typeof updateAgentInput>;

export const agentIdInput = z.object({ id: uuidSchema });
