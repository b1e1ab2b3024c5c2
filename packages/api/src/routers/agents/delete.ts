import { agentIdInput } from "@viewings/validators";
import { protectedProcedure } from "../../trpc.js";

export const deleteAgent = protectedProcedure
  .input(agentIdInput)
  .output(agentIdInput)
  .mutation(({ ctx, input }) => ctx.services.agents.remove(ctx.user.id, input.id));
