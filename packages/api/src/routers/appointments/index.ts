import { router } from "../../trpc.js";
import { list } from "./list.js";

export const appointmentsRouter = router({ list });
