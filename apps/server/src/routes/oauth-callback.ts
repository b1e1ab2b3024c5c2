import type { Services } from "@viewings/api";
import { calendarProviderSchema } from "@viewings/validators";
import { Router } from "express";
import type { Logger } from "../logger.js";

const single = (value: unknown) => (typeof value === "string" && value.length <= 4096 ? value : undefined);

/**
 * GET /oauth/<provider>/callback: where the provider sends the browser after consent. Always answers
 * with a redirect to the frontend (auth=success or auth=error&message=...), never with a page of its
 * own. The query holds the code and state: it is neither logged (see request-logger) nor echoed.
 */
export function oauthCallbackRoutes(services: Services, logger: Logger): Router {
  const routes = Router();
  routes.get("/oauth/:provider/callback", async (req, res, next) => {
    // Only the two known providers; any other path falls through to the 404 handler.
    const provider = calendarProviderSchema.safeParse(req.params.provider);
    if (!provider.success) return next();
    try {
      const result = await services.calendar.auth.completeCallback(provider.data, {
        code: single(req.query.code),
        state: single(req.query.state),
        error: single(req.query.error),
      });
      if (!result.ok)
        logger.warn({ provider: provider.data, reason: result.reason }, "calendar connect refused");
      else logger.info({ provider: provider.data }, "calendar connected");
      // The code must not travel on in a Referer (helmet already sends Referrer-Policy: no-referrer).
      res.set("cache-control", "no-store").redirect(303, result.redirectTo);
    } catch (error) {
      // Still a redirect: the user is in a browser tab, not an API client. The error holds no secret
      // (ciphertexts at most), so it can be logged.
      logger.error({ err: error, provider: provider.data }, "calendar callback failed");
      res.set("cache-control", "no-store").redirect(303, services.calendar.auth.unexpectedFailureRedirect());
    }
  });
  return routes;
}
