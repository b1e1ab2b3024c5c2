import { connectCalendarInput, connectCalendarOutput } from "@viewings/validators";
import { protectedProcedure } from "../../trpc.js";

/** Starts connecting a calendar: returns the provider's authorization URL for the browser to open. */
export const connect = protectedProcedure
  .input(connectCalendarInput)
  .output(connectCalendarOutput)
  .mutation(async ({ ctx, input }) => ({
    authorizationUrl: await ctx.services.calendar.auth.connect(ctx.user.id, input.provider, input.returnTo),
  }));
