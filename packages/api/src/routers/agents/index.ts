import { router } from "../../trpc.js";
import { create } from "./create.js";
import { deleteAgent } from "./delete.js";
import { list } from "./list.js";
import { rotateSecret } from "./rotate-secret.js";
import { toolDefinitions } from "./tool-definitions.js";
import { update } from "./update.js";

export const agentsRouter = router({
  list,
  create,
  update,
  rotateSecret,
  delete: deleteAgent,
  toolDefinitions,
});
