import { clerkSyncResultSchema, clerkUserDeletionInput } from "@viewings/validators";
import { serviceProcedure } from "../../trpc.js";

/** A service forwards Clerk's deletion of a user: the row goes, and no later update brings it back. */
export const deleteByClerkId = serviceProcedure
  .input(clerkUserDeletionInput)
  .output(clerkSyncResultSchema)
  .mutation(({ ctx, input }) => ctx.services.clerkSync.applyDeletion(input.clerkUserId));
