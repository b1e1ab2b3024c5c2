// GET /metrics in Prometheus' text format after some traffic: requests by route/procedure and status,
// provider calls and token refreshes, webhook deliveries, the database pool. Behind METRICS_TOKEN.
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EventsEnv, startEventsEnv } from "./support/events-env.js";
import { clerkUserEvent, newWebhookSecret, postDelivery, signDelivery } from "./support/svix.js";
import { startTestServer } from "./support/test-server.js";

const metricsToken = "metrics_token_0123456789abcdef0123456789";
const webhookSecret = newWebhookSecret();
let env: EventsEnv;

beforeAll(async () => {
  env = await startEventsEnv({ METRICS_TOKEN: metricsToken, CLERK_WEBHOOK_SIGNING_SECRET: webhookSecret });
});
afterAll(async () => {
  await env?.close();
});

async function scrape(token?: string) {
  const response = await fetch(`${env.server.url}/metrics`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: response.status, text: await response.text() };
}

describe("/metrics", () => {
  it("is refused without the bearer token", async () => {
    expect((await scrape()).status).toBe(401);
    expect((await scrape("wrong_token_0123456789abcdef0123456789")).status).toBe(401);
  });

  it("exposes request, provider, token refresh, webhook and pool series after some traffic", async () => {
    // Access tokens that expire within the refresh margin: the first calendar read refreshes them.
    env.google.state.accessTokenLifetimeSeconds = 30;
    const user = await env.user("user_metrics_mia", ["google", "microsoft"]);
    const from = new Date();
    const to = new Date(from.getTime() + 7 * 24 * 3600 * 1000);
    await user.client.events.list.query({ from: from.toISOString(), to: to.toISOString() });
    await fetch(`${env.server.url}/trpc/nope.nothing`);
    const delivery = signDelivery(
      webhookSecret,
      clerkUserEvent("user.updated", { id: "user_metrics", email: "m@example.com", updatedAt: Date.now() }),
    );
    expect((await postDelivery(env.server.url, delivery)).status).toBe(200);

    const { status, text } = await scrape(metricsToken);
    expect(status).toBe(200);
    const line = (pattern: RegExp) => text.split("\n").find((candidate) => pattern.test(candidate));
    expect(
      line(/^http_requests_total\{route="\/trpc\/users\.me",method="GET",status="200"\} \d+/),
    ).toBeDefined();
    expect(
      line(/^http_requests_total\{route="\/trpc\/events\.list",method="GET",status="200"\} 1$/),
    ).toBeDefined();
    expect(
      line(/^http_requests_total\{route="\/trpc\/\(unknown\)",method="GET",status="404"\} 1$/),
    ).toBeDefined();
    expect(
      line(/^http_request_duration_seconds_bucket\{le="0\.5",route="\/trpc\/events\.list"/),
    ).toBeDefined();
    expect(
      line(/^calendar_provider_calls_total\{provider="google",operation="exchangeCode",outcome="ok"\} 1$/),
    ).toBeDefined();
    expect(
      line(/^calendar_provider_calls_total\{provider="microsoft",operation="\w+",outcome="ok"\}/),
    ).toBeDefined();
    expect(line(/^calendar_provider_call_duration_seconds_count\{provider="google"/)).toBeDefined();
    expect(line(/^calendar_token_refreshes_total\{provider="google",outcome="ok"\} [1-9]/)).toBeDefined();
    expect(line(/^webhook_deliveries_total\{webhook="clerk",outcome="applied"\} 1$/)).toBeDefined();
    expect(line(/^db_pool_connections\{state="total"\} [1-9]/)).toBeDefined();
    expect(line(/^db_pool_connections\{state="waiting"\} 0$/)).toBeDefined();
    expect(line(/^process_cpu_seconds_total /)).toBeDefined();
  });

  it("can be served without a token on a separate METRICS_PORT instead", async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const { port: free } = probe.address() as { port: number };
        probe.close(() => resolve(free));
      });
    });
    const separate = await startTestServer({ METRICS_PORT: String(port) });
    try {
      const scraped = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toContain("# TYPE http_requests_total counter");
      // Not on the main port: that one faces the load balancer.
      expect((await fetch(`${separate.url}/metrics`)).status).toBe(404);
    } finally {
      await separate.close();
    }
  });
});
