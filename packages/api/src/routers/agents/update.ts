import { agentSchema, updateAgentInput } from "@viewings/validators";
import { protectedProcedure } from "../../trpc.js";

export const update = protectedProcedure
  .input(updateAgentInput)
  .output(agentSchema)
  .mutation(({ ctx, input }) => ctx.services.agents.update(ctx.user, input));
