import { calendarEventSchema, createEventInput } from "@viewings/validators";
import { protectedProcedure } from "../../trpc.js";

/** Books on the chosen (or the first-connected) calendar; CONFLICT when the time is no longer free. */
export const create = protectedProcedure
  .input(createEventInput)
  .output(calendarEventSchema)
  .mutation(({ ctx, input }) => ctx.services.events.create(ctx.user, input));
