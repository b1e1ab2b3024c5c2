import { z } from "zod";
import { isoDateTimeSchema, timeZoneSchema, uuidSchema } from "./common.js";

export const viewingMinutesSchema = z.number().int().min(5).max(240);

export const agentSchema = z.object({
  id: uuidSchema,
  vapiAssistantId: z.string(),
  name: z.string(),
  /** Null: the owner's time zone applies. */
  timeZone: z.string().nullable(),
  viewingMinutes: z.number().int(),
  active: z.boolean(),
  /** Whether the agent has its own webhook secret (the value is shown once, when issued). */
  hasWebhookSecret: z.boolean(),
  createdAt: isoDateTimeSchema,
  updatedAt: isoDateTimeSchema,
});
export type Agent = z.infer<typeof agentSchema>;

export const agentWithSecretSchema = z.object({
  agent: agentSchema,
  /** Put this in the VAPI assistant's server credential (Bearer) or X-Vapi-Secret. Shown only once. */
  webhookSecret: z.string(),
});

export const createAgentInput = z.object({
  vapiAssistantId: z.string().trim().min(1).max(255),
  name: z.string().trim().min(1).max(100),
  timeZone: timeZoneSchema.nullish(),
  viewingMinutes: viewingMinutesSchema.default(30),
  active: z.boolean().default(true),
});
export type CreateAgentInput = z.infer<typeof createAgentInput>;

export const updateAgentInput = z.object({
  id: uuidSchema,
  name: z.string().trim().min(1).max(100).optional(),
  timeZone: timeZoneSchema.nullish(),
  viewingMinutes: viewingMinutesSchema.optional(),
  active: z.boolean().optional(),
});
export type UpdateAgentInput = z.infer<typeof updateAgentInput>;

export const agentIdInput = z.object({ id: uuidSchema });
