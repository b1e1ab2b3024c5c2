import { toolDefinitionsInput, vapiToolDefinitionSchema } from "@viewings/validators";
import { z } from "zod";
import { protectedProcedure } from "../../trpc.js";

/**
 * The VAPI function tools (JSON schema) to paste into an assistant, pointing at this server's webhook.
 * The agent's secret is not stored, so these name a VAPI credential (`credentialId`) or carry a
 * placeholder; agents.create and agents.rotateSecret return them with the secret filled in. With an
 * agentId, the descriptions state that agent's booking rules (viewing length, hours, notice).
 */
export const toolDefinitions = protectedProcedure
  .input(toolDefinitionsInput)
  .output(z.array(vapiToolDefinitionSchema))
  .query(({ ctx, input }) =>
    ctx.services.agents.toolDefinitions(
      ctx.user,
      input?.credentialId ? { credentialId: input.credentialId } : undefined,
      input?.agentId,
    ),
  );
