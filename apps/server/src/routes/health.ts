import { checkDatabaseReadiness } from "@viewings/db/migrate";
import cors from "cors";
import { Router } from "express";

const readinessDeadlineMs = 2_000;

/**
 * /healthz: the process is up (liveness; never restart an instance because its database is down).
 * /readyz: it can serve traffic: the database answers on a fresh connection within the deadline and
 * has every migration this build ships; otherwise 503 with the reason, so the load balancer skips it.
 * /health: the old backend's liveness ping, which the existing frontend sends from the browser before
 * rendering any page; open to every origin (it carries no credentials and reveals nothing).
 */
export function healthRoutes(databaseUrl: string): Router {
  const routes = Router();
  routes.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  routes.use("/health", cors());
  routes.get("/health", (_req, res) => {
    res.set("cache-control", "no-store").json({ status: "healthy", service: "viewings-api" });
  });
  routes.get("/readyz", async (_req, res) => {
    const readiness = await checkDatabaseReadiness(databaseUrl, { timeoutMs: readinessDeadlineMs });
    if (readiness.ready) return void res.json({ status: "ready" });
    res.status(503).json({ status: "unavailable", reason: readiness.reason });
  });
  return routes;
}
