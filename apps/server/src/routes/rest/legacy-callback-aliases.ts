import type { CalendarProviderId } from "@viewings/validators";
import { Router } from "express";
import { legacyAuthPrefixes } from "./calendar-auth-routes.js";

/** The old callback paths, which OAuth apps registered for the old backend may still send browsers to. */
export const legacyCallbackPaths = Object.fromEntries(
  Object.entries(legacyAuthPrefixes).map(([provider, prefix]) => [provider, `${prefix}/callback`]),
) as Record<CalendarProviderId, string>;

/**
 * GET /calendar/auth/callback (Microsoft) and /calendar/google/auth/callback: handled by the same
 * route as /oauth/<provider>/callback, by rewriting the URL; mount before oauthCallbackRoutes.
 */
export function legacyCallbackAliases(): Router {
  const routes = Router();
  for (const [provider, path] of Object.entries(legacyCallbackPaths)) {
    routes.get(path, (req, _res, next) => {
      const query = req.url.indexOf("?");
      req.url = `/oauth/${provider}/callback${query >= 0 ? req.url.slice(query) : ""}`;
      next();
    });
  }
  return routes;
}
