import { agentWithSecretSchema, createAgentInput } from "@viewings/validators";
import { protectedProcedure } from "../../trpc.js";

/** Registers a VAPI assistant for the caller and issues its webhook secret (returned only here). */
export const create = protectedProcedure
  .input(createAgentInput)
  .output(agentWithSecretSchema)
  .mutation(({ ctx, input }) => ctx.services.agents.create(ctx.user, input));
