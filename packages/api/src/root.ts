import { usersRouter } from "./routers/users/index.js";
import { router } from "./trpc.js";

export const appRouter = router({
  users: usersRouter,
});

export type AppRouter = typeof appRouter;
