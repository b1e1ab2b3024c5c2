import { appRouter, databaseUnavailableMessage, type Services } from "@viewings/api";
import { isDatabaseUnavailable } from "@viewings/db";
import cors from "cors";
import express, { type ErrorRequestHandler } from "express";
import helmet from "helmet";
import { createAuthenticate } from "./auth/authenticate.js";
import type { ServerConfig } from "./config.js";
import { createRequestLogger, logOf } from "./http/request-logger.js";
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
import { legacyCallbackAliases, legacyCallbackPaths, restRouter } from "./routes/rest/index.js";
import { sendInvalidInput } from "./routes/rest/rest-errors.js";
import { trpcHandler } from "./routes/trpc.js";
import { vapiWebhookRoutes } from "./routes/vapi-webhook.js";
import type { RateLimits } from "./security/rate-limits.js";
import {
  jsonBody,
  refuseNulInUrl,
  requireJsonMutations,
  sendClientError,
} from "./security/request-guards.js";

export interface AppDependencies {
  config: ServerConfig;
  /** Readiness checks open their own connection to it. */
  databaseUrl: string;
  services: Services;
  logger: Logger;
  metrics: Metrics;
  rateLimits: RateLimits;
}

/** 4xx bodies in our words: a parser's or library's message is never echoed. */
const clientErrorMessages: Record<number, string> = {
  400: "Bad request",
  413: "Request body too large",
  415: "Unsupported content type",
};

export function createApp({ config, databaseUrl, services, logger, metrics, rateLimits }: AppDependencies) {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", 1);
  app.use(helmet());
  app.use(createRequestLogger(logger));
  app.use(retryAfterOnUnavailable);
  app.use(requestMetrics(metrics, new Set(Object.keys(appRouter._def.procedures))));
  app.use(refuseNulInUrl);

  app.use(healthRoutes(databaseUrl));
  app.use(indexRoutes(config.calendarSandbox?.url));
  if (config.metrics.token) app.use(metricsRoutes(metrics, config.metrics.token));
  app.use("/webhooks/clerk", webhookDeliveryMetrics(metrics, "clerk"));
  app.use("/webhooks/vapi", webhookDeliveryMetrics(metrics, "vapi"));
  app.use(["/webhooks/clerk", "/webhooks/vapi"], rateLimits.webhooks);
  app.use("/webhooks/vapi", rateLimits.failedAuthentication());
  // Before any JSON parser: Svix signs the exact bytes, so this route reads the raw body itself.
  app.use(clerkWebhookRoutes({ secrets: config.clerkWebhook.secrets, services, logger }));

  // VAPI authenticates with its own secret (per agent or shared), not a Clerk session.
  app.use(vapiWebhookRoutes(services));

  // The browser lands here from Microsoft/Google; it carries no session, the OAuth state identifies the flow.
  // The old backend's callback paths are rewritten onto the same route.
  app.use(["/oauth", ...Object.values(legacyCallbackPaths)], rateLimits.oauthCallbacks);
  app.use(legacyCallbackAliases());
  app.use(oauthCallbackRoutes(services, logger));

  // GET /openapi.json and the /docs page (its assets are served from here, not a CDN).
  app.use(docsRoutes(appRouter));

  const { authenticate, isVerifiedSession } = createAuthenticate(config.clerk, config.serviceApiKeys);
  // Sessions travel as bearer tokens, not cookies, so CORS needs no credentials mode.
  const allowFrontends = cors({ origin: config.web.corsOrigins, maxAge: 600 });
  // Mutations only from requests a browser preflights; bodies bounded in size, depth and characters;
  // addresses locked out after a burst of failed credentials.
  const bodyLimit = "100kb";
  const guards = [allowFrontends, requireJsonMutations, rateLimits.failedAuthentication(isVerifiedSession)];
  app.use(
    "/trpc",
    ...guards,
    jsonBody(bodyLimit),
    authenticate,
    rateLimits.trpcCalls,
    trpcHandler(services, logger),
  );
  // REST adapters over the same procedures, behind the same guards and authentication; a refused body
  // is invalid input in the REST shape (422 naming "body").
  const restBody = jsonBody(bodyLimit, (res, status, field, message) =>
    status === 400
      ? sendInvalidInput(res, [{ field, message }])
      : sendClientError(res, status, `${field}: ${message}`),
  );
  app.use(restRouter(services, logger, [...guards, restBody, authenticate]));

  app.use((_req, res) => {
    res.status(404).json({ error: "Not found" });
  });
  const onError: ErrorRequestHandler = (error, req, res, _next) => {
    if (isDatabaseUnavailable(error)) {
      logOf(req).warn({ err: error }, "database unavailable");
      res.status(503).json({ error: databaseUnavailableMessage, message: databaseUnavailableMessage });
      return;
    }
    const status = typeof error?.status === "number" && error.status < 500 ? error.status : 500;
    if (status >= 500) {
      logOf(req).error({ err: error }, "unhandled error");
      return void res.status(500).json({ error: "Internal server error" });
    }
    sendClientError(res, status, clientErrorMessages[status] ?? "Request refused");
  };
  app.use(onError);
  return app;
}
