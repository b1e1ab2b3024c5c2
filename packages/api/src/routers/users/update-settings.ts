import { updateSettingsInput, userSchema } from "@viewings/validators";
import { protectedProcedure } from "../../trpc.js";

/** The caller's own settings; today the time zone their working hours and bookings use. */
export const updateSettings = protectedProcedure
  .input(updateSettingsInput)
  .output(userSchema)
  .mutation(({ ctx, input }) => ctx.services.users.updateSettings(ctx.user.id, input));
