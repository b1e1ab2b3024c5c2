import { type Database, isDatabaseReachable } from "@viewings/db";
import cors from "cors";
import { Router } from "express";

const readinessDeadlineMs = 2_000;

/**
 * /healthz: the process is up. /readyz: it can serve traffic, i.e. the database answers in time.
 * /health: the old backend's liveness ping, which the existing frontend sends from the browser before
 * rendering any page; open to every origin (it carries no credentials and reveals nothing).
 */
export function healthRoutes(db: Database): Router {
  const routes = Router();
  routes.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  routes.use("/health", cors());
  routes.get("/health", (_req, res) => {
    res.set("cache-control", "no-store").json({ status: "healthy", service: "viewings-api" });
  });
  routes.get("/readyz", async (_req, res) => {
    const deadline = new Promise<false>((resolve) => setTimeout(resolve, readinessDeadlineMs, false).unref());
    const ready = await Promise.race([isDatabaseReachable(db), deadline]);
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? "ready" : "unavailable", database: ready ? "up" : "down" });
  });
  return routes;
}
