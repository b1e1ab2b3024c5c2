import { appointmentSchema, listAppointmentsInput } from "@viewings/validators";
import { z } from "zod";
import { protectedProcedure } from "../../trpc.js";

/** Viewings the caller's voice agents booked, soonest first. */
export const list = protectedProcedure
  .input(listAppointmentsInput)
  .output(z.array(appointmentSchema))
  .query(({ ctx, input }) => ctx.services.appointments.list(ctx.user.id, input));
