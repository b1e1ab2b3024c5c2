import { checkDatabaseReadiness } from "@viewings/db/migrate";
import { Router } from "express";

const readinessDeadlineMs = 2_000;

/**
 * /healthz: the process is up (liveness; never restart an instance because its database is down).
 * /readyz: it can serve traffic: the database answers on a fresh connection within the deadline and
 * has every migration this build ships; otherwise 503 with the reason, so the load balancer skips it.
 */
export function healthRoutes(databaseUrl: string): Router {
  const routes = Router();
  routes.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  routes.get("/readyz", async (_req, res) => {
    const readiness = await checkDatabaseReadiness(databaseUrl, { timeoutMs: readinessDeadlineMs });
    if (readiness.ready) return void res.json({ status: "ready" });
    res.status(503).json({ status: "unavailable", reason: readiness.reason });
  });
  return routes;
}
