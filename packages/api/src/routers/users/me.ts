import { userSchema } from "@viewings/validators";
import { protectedProcedure } from "../../trpc.js";

export const me = protectedProcedure.output(userSchema).query(({ ctx }) => ctx.user);
