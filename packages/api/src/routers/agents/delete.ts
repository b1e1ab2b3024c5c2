import { agentIdInput } from "@viewings/validators";
import { protectedProcedure } from "../../trpc.js";

export const remove = protectedProcedure
  .input(agentIdInput)
  .output(agentIdInput)
  .mutation(({ ctx, input }) => ctx.services.agents.remove(ctx.user.id, input.id));
