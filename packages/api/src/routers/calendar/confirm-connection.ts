import { calendarProviderStatusSchema, confirmConnectionInput } from "@viewings/validators";
import { protectedProcedure } from "../../trpc.js";

/**
 * Finishes connecting a calendar: the frontend passes the `confirmation` value the callback redirected
 * it with. Only the user who started the flow (calendar.connect) may confirm it.
 */
export const confirmConnection = protectedProcedure
  .input(confirmConnectionInput)
  .output(calendarProviderStatusSchema)
  .mutation(async ({ ctx, input }) => {
    const provider = await ctx.services.calendar.auth.confirmConnection(ctx.user.id, input.code);
    return ctx.services.calendar.connections.statusOf(ctx.user.id, provider);
  });
