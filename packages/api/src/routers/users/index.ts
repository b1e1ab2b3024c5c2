import { router } from "../../trpc.js";
import { byClerkId } from "./by-clerk-id.js";
import { createFromClerk } from "./create-from-clerk.js";
import { me } from "./me.js";

export const usersRouter = router({ me, byClerkId, createFromClerk });
