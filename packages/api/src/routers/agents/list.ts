import { agentSchema } from "@viewings/validators";
import { z } from "zod";
import { protectedProcedure } from "../../trpc.js";

export const list = protectedProcedure
  .output(z.array(agentSchema))
  .query(({ ctx }) => ctx.services.agents.list(ctx.user));
