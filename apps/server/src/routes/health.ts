import { type Database, isDatabaseReachable } from "@viewings/db";
import { Router } from "express";

const readinessDeadlineMs = 2_000;

/** /healthz: the process is up. /readyz: it can serve traffic, i.e. the database answers in time. */
export function healthRoutes(db: Database): Router {
  const routes = Router();
  routes.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
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
