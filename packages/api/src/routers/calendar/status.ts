import { calendarStatusOutput } from "@viewings/validators";
import { protectedProcedure } from "../../trpc.js";

export const status = protectedProcedure
  .output(calendarStatusOutput)
  .query(({ ctx }) => ctx.services.calendar.connections.status(ctx.user.id));
