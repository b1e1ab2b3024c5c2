import { router } from "../../trpc.js";
import { byClerkId } from "./by-clerk-id.js";
import { createFromClerk } from "./create-from-clerk.js";
import { deleteByClerkId } from "./delete-by-clerk-id.js";
import { me } from "./me.js";
import { updateFromClerk } from "./update-from-clerk.js";
import { updateSettings } from "./update-settings.js";

export const usersRouter = router({
  me,
  byClerkId,
  createFromClerk,
  updateFromClerk,
  deleteByClerkId,
  updateSettings,
});
