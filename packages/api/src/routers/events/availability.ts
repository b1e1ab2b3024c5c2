import { availabilityInput, availabilityOutput } from "@viewings/validators";
import { protectedProcedure } from "../../trpc.js";

/** Free slots of the requested length inside working hours, in the caller's time zone. */
export const availability = protectedProcedure
  .input(availabilityInput)
  .output(availabilityOutput)
  .query(({ ctx, input }) => ctx.services.events.availability(ctx.user, input));
