import { listEventsInput, listEventsOutput } from "@viewings/validators";
import { protectedProcedure } from "../../trpc.js";

/** The caller's events from every connected calendar (or one provider), merged and sorted. */
export const list = protectedProcedure
  .input(listEventsInput)
  .output(listEventsOutput)
  .query(({ ctx, input }) => ctx.services.events.list(ctx.user, input));
