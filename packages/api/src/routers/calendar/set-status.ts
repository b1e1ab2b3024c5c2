import { setCalendarStatusInput, setCalendarStatusOutput } from "@viewings/validators";
import { DomainError, forbidden } from "../../errors.js";
import { userOrServiceProcedure } from "../../trpc.js";

/**
 * The old PATCH /users/{id}/calendar-status. A signed-in user acts on themself only; a service must
 * name the user (by id) it acts for.
 */
export const setStatus = userOrServiceProcedure
  .input(setCalendarStatusInput)
  .output(setCalendarStatusOutput)
  .mutation(async ({ ctx, input }) => {
    let userId: string;
    if (ctx.caller.type === "user") {
      const me = await ctx.services.users.ensureForSession(ctx.caller.clerkUserId, ctx.caller.claims);
      if (input.userId && input.userId !== me.id)
        throw forbidden("You may only change your own calendar status");
      userId = me.id;
    } else {
      if (!input.userId) throw new DomainError("bad_request", "userId: required for a service caller");
      userId = input.userId;
    }
    return ctx.services.calendar.connections.setConnected(userId, input.provider, input.connected);
  });
