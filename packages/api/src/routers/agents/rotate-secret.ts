import { agentIdInput, agentWithSecretSchema } from "@viewings/validators";
import { protectedProcedure } from "../../trpc.js";

export const rotateSecret = protectedProcedure
  .input(agentIdInput)
  .output(agentWithSecretSchema)
  .mutation(({ ctx, input }) => ctx.services.agents.rotateSecret(ctx.user, input.id));
