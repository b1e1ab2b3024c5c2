import type { Services } from "@viewings/api";
import { type RequestHandler, Router } from "express";
import type { Logger } from "../../logger.js";
import { calendarAuthRoutes } from "./calendar-auth-routes.js";
import { calendarEventRoutes } from "./calendar-events-routes.js";
import { mountRestRoutes } from "./mount-rest-routes.js";
import type { RestRoute } from "./rest-route.js";
import { userRoutes } from "./users-routes.js";

export { legacyCallbackAliases, legacyCallbackPaths } from "./legacy-callback-aliases.js";
export type { RestAuth, RestRoute } from "./rest-route.js";

/** Every REST route, in the order the OpenAPI document lists them. */
export const restRoutes: readonly RestRoute[] = [
  ...userRoutes,
  ...calendarAuthRoutes,
  ...calendarEventRoutes,
];

/** Path prefixes the REST routes live under: only these run the JSON parser and authentication. */
export const restPrefixes = ["/users", "/calendar"];

/**
 * The REST adapters for callers that do not speak tRPC. `before` runs on REST paths only (CORS, JSON
 * body, authenticate: the same chain as /trpc); other paths pass through untouched.
 */
export function restRouter(services: Services, logger: Logger, before: RequestHandler[]): Router {
  const router = Router();
  router.use(restPrefixes, ...before);
  mountRestRoutes(router, restRoutes, services, logger);
  return router;
}
