import { z } from "zod";
import { protectedProcedure } from "../../trpc.js";

const toolDefinitionSchema = z.object({
  type: z.literal("function"),
  async: z.boolean(),
  server: z.object({ url: z.string() }),
  function: z.object({
    name: z.string(),
    description: z.string(),
    parameters: z.record(z.string(), z.unknown()),
  }),
});

/** The VAPI function tools (JSON schema) to paste into an assistant; its server URL points here. */
export const toolDefinitions = protectedProcedure
  .output(z.array(toolDefinitionSchema))
  .query(({ ctx }) => ctx.services.voiceAgent.toolDefinitions());
