/**
 * Prometheus metrics: one registry per server, every series defined here. The rest of the code
 * reports through the small functions below, so instrumentation stays out of routes and services.
 */
import { type Database, poolState } from "@viewings/db";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

export type ProviderCallOutcome = "ok" | string;

export interface Metrics {
  registry: Registry;
  request(labels: { route: string; method: string; status: number }, seconds: number): void;
  providerCall(
    labels: { provider: string; operation: string; outcome: ProviderCallOutcome },
    seconds: number,
  ): void;
  webhookDelivery(labels: { webhook: "clerk" | "vapi"; outcome: string }): void;
}

// Seconds; calendar providers and cold tRPC calls sit in the 0.1-10 s range.
const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20];

export function createMetrics(db: Database): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: "http_requests_total",
    help: "HTTP requests answered, by route (tRPC: procedure), method and status",
    labelNames: ["route", "method", "status"],
    registers: [registry],
  });
  const requestSeconds = new Histogram({
    name: "http_request_duration_seconds",
    help: "Time to answer an HTTP request, by route (tRPC: procedure), method and status",
    labelNames: ["route", "method", "status"],
    buckets: latencyBuckets,
    registers: [registry],
  });
  const providerCalls = new Counter({
    name: "calendar_provider_calls_total",
    help: "Calls to Microsoft/Google, by provider, operation and outcome (ok or the provider error kind)",
    labelNames: ["provider", "operation", "outcome"],
    registers: [registry],
  });
  const providerSeconds = new Histogram({
    name: "calendar_provider_call_duration_seconds",
    help: "Time a call to Microsoft/Google took, by provider, operation and outcome",
    labelNames: ["provider", "operation", "outcome"],
    buckets: latencyBuckets,
    registers: [registry],
  });
  const tokenRefreshes = new Counter({
    name: "calendar_token_refreshes_total",
    help: "OAuth refresh-token grants, by provider and outcome",
    labelNames: ["provider", "outcome"],
    registers: [registry],
  });
  const webhookDeliveries = new Counter({
    name: "webhook_deliveries_total",
    help: "Webhook deliveries received, by webhook (clerk, vapi) and outcome",
    labelNames: ["webhook", "outcome"],
    registers: [registry],
  });
  new Gauge({
    name: "db_pool_connections",
    help: "Database pool connections of this process: total open, idle, and requests waiting for one",
    labelNames: ["state"],
    registers: [registry],
    collect() {
      const state = poolState(db);
      if (!state) return;
      this.set({ state: "total" }, state.total);
      this.set({ state: "idle" }, state.idle);
      this.set({ state: "waiting" }, state.waiting);
    },
  });

  return {
    registry,
    request({ route, method, status }, seconds) {
      const labels = { route, method, status: String(status) };
      requests.inc(labels);
      requestSeconds.observe(labels, seconds);
    },
    providerCall(labels, seconds) {
      providerCalls.inc(labels);
      providerSeconds.observe(labels, seconds);
      if (labels.operation === "refresh")
        tokenRefreshes.inc({ provider: labels.provider, outcome: labels.outcome });
    },
    webhookDelivery(labels) {
      webhookDeliveries.inc(labels);
    },
  };
}
