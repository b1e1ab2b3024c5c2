import { byClerkIdInput, userSchema } from "@viewings/validators";
import { forbidden } from "../../errors.js";
import { userOrServiceProcedure } from "../../trpc.js";

/** A signed-in user may read only their own record; a service may read anyone's. */
export const byClerkId = userOrServiceProcedure
  .input(byClerkIdInput)
  .output(userSchema)
  .query(({ ctx, input }) => {
    if (ctx.caller.type === "user" && ctx.caller.clerkUserId !== input.clerkUserId) {
      throw forbidden("You may only read your own user record");
    }
    return ctx.services.users.getByClerkId(input.clerkUserId);
  });
