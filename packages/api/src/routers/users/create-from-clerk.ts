import { createFromClerkInput, userSchema } from "@viewings/validators";
import { serviceProcedure } from "../../trpc.js";

export const createFromClerk = serviceProcedure
  .input(createFromClerkInput)
  .output(userSchema)
  .mutation(({ ctx, input }) => ctx.services.users.createFromClerk(input));
