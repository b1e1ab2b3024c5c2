import { connectCalendarInput, connectCalendarOutput } from "@viewings/validators";
import { protectedProcedure } from "../../trpc.js";

/**
 * Starts connecting a calendar: returns the provider's authorization URL for the browser to open. The
 * browser comes back with `auth=confirm&confirmation=...`, which calendar.confirmConnection takes.
 */
export const connect = protectedProcedure
  .input(connectCalendarInput)
  .output(connectCalendarOutput)
  .mutation(async ({ ctx, input }) => ({
    authorizationUrl: await ctx.services.calendar.auth.connect(
      ctx.user.id,
      input.provider,
      input.returnTo,
      // The old frontend's REST start cannot send a confirmation afterwards.
      ctx.via === "rest" ? "legacy" : "confirm",
    ),
  }));
