import { calendarEventSchema, createEventInput } from "@viewings/validators";
import { protectedProcedure } from "../../trpc.js";

/**
 * Books on the chosen (or the first-connected) calendar; CONFLICT, with the nearest free times, when
 * the time is taken. A caller who goes away aborts the booking (and any event it may have made).
 */
export const create = protectedProcedure
  .input(createEventInput)
  .output(calendarEventSchema)
  .mutation(({ ctx, input, signal }) =>
    ctx.services.events.create(ctx.user, input, { source: ctx.via ?? "api", signal }),
  );
