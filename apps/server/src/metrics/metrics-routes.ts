import { timingSafeEqual } from "node:crypto";
import express, { type RequestHandler, Router } from "express";
import type { Metrics } from "./metrics.js";

function sameToken(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const exposition: (metrics: Metrics) => RequestHandler = (metrics) => async (_req, res) => {
  res.set("content-type", metrics.registry.contentType).send(await metrics.registry.metrics());
};

/** GET /metrics on the main port, for holders of METRICS_TOKEN only. */
export function metricsRoutes(metrics: Metrics, token: string): Router {
  const routes = Router();
  routes.get(
    "/metrics",
    (req, res, next) => {
      const header = req.headers.authorization ?? "";
      if (!header.startsWith("Bearer ") || !sameToken(header.slice(7).trim(), token)) {
        res.status(401).set("www-authenticate", "Bearer").json({ error: "metrics token required" });
        return;
      }
      next();
    },
    exposition(metrics),
  );
  return routes;
}

/** A separate app for METRICS_PORT: /metrics without a token, for a port the load balancer does not expose. */
export function metricsApp(metrics: Metrics): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.get("/metrics", exposition(metrics));
  return app;
}
