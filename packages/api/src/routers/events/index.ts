import { router } from "../../trpc.js";
import { availability } from "./availability.js";
import { create } from "./create.js";
import { list } from "./list.js";

export const eventsRouter = router({ list, availability, create });
