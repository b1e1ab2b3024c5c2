import { agentsRouter } from "./routers/agents/index.js";
import { appointmentsRouter } from "./routers/appointments/index.js";
import { calendarRouter } from "./routers/calendar/index.js";
import { eventsRouter } from "./routers/events/index.js";
import { usersRouter } from "./routers/users/index.js";
import { router } from "./trpc.js";

export const appRouter = router({
  agents: agentsRouter,
  appointments: appointmentsRouter,
  calendar: calendarRouter,
  events: eventsRouter,
  users: usersRouter,
});

export type AppRouter = typeof appRouter;
