import { appRouter, databaseUnavailableMessage, type Services } from "@viewings/api";
import { isDatabaseUnavailable } from "@viewings/db";
import cors from "cors";
import express, { type ErrorRequestHandler } from "express";
import helmet from "helmet";
import { type ClerkClient, createAuthenticate } from "./auth/authenticate.js";
import type { ServerConfig } from "./config.js";
import { createRequestLogger } from "./http/request-logger.js";
import { retryAfterOnUnavailable } from "./http/retry-after.js";
import type { Logger } from "./logger.js";
import type { Metrics } from "./metrics/metrics.js";
import { metricsRoutes } from "./metrics/metrics-routes.js";
import { requestMetrics, webhookDeliveryMetrics } from "./metrics/request-metrics.js";
import { clerkWebhookRoutes } from "./routes/clerk-webhook.js";
import { docsRoutes } from "./routes/docs.js";
import { healthRoutes } from "./routes/health.js";
import { indexRoutes } from "./routes/index-page.js";
import { oauthCallbackRoutes } from "./routes/oauth-callback.js";
import { legacyCallbackAliases, restRouter } from "./routes/rest/index.js";
import { trpcHandler } from "./routes/trpc.js";
import { vapiWebhookRoutes } from "./routes/vapi-webhook.js";

export interface AppDependencies {
  config: ServerConfig;
  /** Readiness checks open their own connection to it. */
  databaseUrl: string;
  services: Services;
  clerkClient: ClerkClient;
  logger: Logger;
  metrics: Metrics;
}

export function createApp({ config, databaseUrl, services, clerkClient, logger, metrics }: AppDependencies) {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", 1);
  app.use(helmet());
  app.use(createRequestLogger(logger));
  app.use(retryAfterOnUnavailable);
  app.use(requestMetrics(metrics, new Set(Object.keys(appRouter._def.procedures))));

  app.use(healthRoutes(databaseUrl));
  app.use(indexRoutes(config.calendarSandbox?.url));
  if (config.metrics.token) app.use(metricsRoutes(metrics, config.metrics.token));
  app.use("/webhooks/clerk", webhookDeliveryMetrics(metrics, "clerk"));
  app.use("/webhooks/vapi", webhookDeliveryMetrics(metrics, "vapi"));
  // Before any JSON parser: Svix signs the exact bytes, so this route reads the raw body itself.
  app.use(clerkWebhookRoutes({ secrets: config.clerkWebhook.secrets, services, logger }));

  // VAPI authenticates with its own secret (per agent or shared), not a Clerk session.
  app.use(vapiWebhookRoutes(services));

  // The browser lands here from Microsoft/Google; it carries no session, the OAuth state identifies the flow.
  // The old backend's callback paths are rewritten onto the same route.
  app.use(legacyCallbackAliases());
  app.use(oauthCallbackRoutes(services, logger));

  // GET /openapi.json and the /docs page (its assets are served from here, not a CDN).
  app.use(docsRoutes(appRouter));

  const authenticate = createAuthenticate(config.clerk, config.serviceApiKeys, clerkClient);
  // Sessions travel as bearer tokens, not cookies, so CORS needs no credentials mode.
  const allowFrontends = cors({ origin: config.web.corsOrigins, maxAge: 600 });
  app.use(
    "/trpc",
    allowFrontends,
    express.json({ limit: "100kb" }),
    authenticate,
    trpcHandler(services, logger),
  );
  // REST adapters over the same procedures, behind the same CORS, JSON parser and authentication.
  app.use(restRouter(services, logger, [allowFrontends, express.json({ limit: "100kb" }), authenticate]));

  app.use((_req, res) => {
    res.status(404).json({ error: "Not found" });
  });
  const onError: ErrorRequestHandler = (error, req, res, _next) => {
    if (isDatabaseUnavailable(error)) {
      req.log.warn({ err: error }, "database unavailable");
      res.status(503).json({ error: databaseUnavailableMessage, message: databaseUnavailableMessage });
      return;
    }
    const status = typeof error?.status === "number" && error.status < 500 ? error.status : 500;
    if (status >= 500) req.log.error({ err: error }, "unhandled error");
    res
      .status(status)
      .json({ error: status < 500 ? String(error.message ?? "Bad request") : "Internal server error" });
  };
  app.use(onError);
  return app;
}
