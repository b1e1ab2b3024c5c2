import { clerkProfileUpdateInput, clerkSyncResultSchema } from "@viewings/validators";
import { serviceProcedure } from "../../trpc.js";

/** A service forwards a Clerk profile change; the Clerk webhook's ordering and tombstone rules apply. */
export const updateFromClerk = serviceProcedure
  .input(clerkProfileUpdateInput)
  .output(clerkSyncResultSchema)
  .mutation(({ ctx, input }) => ctx.services.clerkSync.applyProfileUpdate(input));
