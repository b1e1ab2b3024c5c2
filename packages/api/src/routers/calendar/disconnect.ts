import { calendarProviderStatusSchema, disconnectCalendarInput } from "@viewings/validators";
import { protectedProcedure } from "../../trpc.js";

export const disconnect = protectedProcedure
  .input(disconnectCalendarInput)
  .output(calendarProviderStatusSchema)
  .mutation(({ ctx, input }) => ctx.services.calendar.connections.disconnect(ctx.user.id, input.provider));
