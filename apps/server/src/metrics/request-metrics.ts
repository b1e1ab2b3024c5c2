import type { Request, RequestHandler } from "express";
import type { Metrics } from "./metrics.js";

/**
 * The route label: the Express route pattern (never the raw path, which would grow the series without
 * bound), tRPC calls by procedure name (batches as "a,b"), anything unmatched as one label.
 */
function routeLabel(req: Request, procedures: ReadonlySet<string>): string {
  if (req.baseUrl === "/trpc") {
    const names = req.path.replace(/^\//, "").split(",");
    return names.every((name) => procedures.has(name)) ? `/trpc/${names.join(",")}` : "/trpc/(unknown)";
  }
  const pattern = (req.route as { path?: unknown } | undefined)?.path;
  return typeof pattern === "string" ? `${req.baseUrl}${pattern}` : "(unmatched)";
}

export function requestMetrics(metrics: Metrics, procedures: ReadonlySet<string>): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    res.once("finish", () => {
      const seconds = (performance.now() - started) / 1000;
      metrics.request(
        { route: routeLabel(req, procedures), method: req.method, status: res.statusCode },
        seconds,
      );
    });
    next();
  };
}

/** Counts webhook deliveries by the outcome the route noted in res.locals (else by status). */
export function webhookDeliveryMetrics(metrics: Metrics, webhook: "clerk" | "vapi"): RequestHandler {
  return (_req, res, next) => {
    res.once("finish", () => {
      const outcome: unknown = res.locals.webhookOutcome;
      metrics.webhookDelivery({
        webhook,
        outcome: typeof outcome === "string" ? outcome : `http_${res.statusCode}`,
      });
    });
    next();
  };
}
