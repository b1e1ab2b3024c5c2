import { updateSettingsInput, userSchema } from "@viewings/validators";
import { protectedProcedure } from "../../trpc.js";

/** The caller's own settings: their time zone and booking rules (the defaults of their agents). */
export const updateSettings = protectedProcedure
  .input(updateSettingsInput)
  .output(userSchema)
  .mutation(({ ctx, input }) => ctx.services.users.updateSettings(ctx.user.id, input));
