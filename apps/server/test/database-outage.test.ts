// PostgreSQL stopped and started again under the server's feet, while traffic keeps coming: every
// database-backed answer is 503 + Retry-After (never 500), VAPI still hears a spoken answer, and the
// pool recovers on its own once the database is back.
import { type StandalonePostgres, startStandalonePostgres } from "@viewings/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clerkUserEvent, newWebhookSecret, postDelivery, signDelivery } from "./support/svix.js";
import { startTestServer, type TestServer } from "./support/test-server.js";
import { postVapi, toolCallsMessage } from "./support/vapi.js";

const webhookSecret = newWebhookSecret();
const vapiSecret = "vapi_shared_secret_0123456789abcdef";
let postgres: StandalonePostgres;
let server: TestServer;
let token: string;

beforeAll(async () => {
  postgres = await startStandalonePostgres();
  server = await startTestServer(
    { CLERK_WEBHOOK_SIGNING_SECRET: webhookSecret, VAPI_WEBHOOK_SECRETS: vapiSecret },
    { databaseUrl: postgres.url() },
  );
  token = await server.clerk.sessionToken("user_outage", { claims: { email: "outage@example.com" } });
});
afterAll(async () => {
  await postgres?.start();
  await server?.close();
  await postgres?.destroy();
});

interface Answer {
  status: number;
  retryAfter: string | null;
  body: Record<string, unknown>;
}

async function call(path: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(`${server.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, ...init.headers },
  });
  return {
    status: response.status,
    retryAfter: response.headers.get("retry-after"),
    body: (await response.json()) as Record<string, unknown>,
  };
}

/** Database-backed routes, tRPC and REST, called in a loop by a few concurrent workers. */
function startLoad(workers: number) {
  const answers: (Answer & { at: number })[] = [];
  let running = true;
  const paths = ["/trpc/users.me", "/users/me"];
  const loops = Array.from({ length: workers }, async (_, worker) => {
    for (let i = 0; running; i++) {
      const path = paths[(worker + i) % paths.length] ?? "/trpc/users.me";
      answers.push({ ...(await call(path)), at: performance.now() });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
  return {
    answers,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

describe("a database outage", () => {
  it("answers 503 + Retry-After during the outage and recovers without a restart; a webhook is applied on redelivery", async () => {
    expect((await call("/trpc/users.me")).status).toBe(200);
    const load = startLoad(4);
    await new Promise((resolve) => setTimeout(resolve, 300));

    await postgres.stop();
    const stoppedAt = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    // During the outage: readiness, tRPC, REST, the Clerk webhook and VAPI each answer as agreed.
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(503);
    const trpc = await call("/trpc/users.me");
    expect(trpc).toMatchObject({ status: 503, retryAfter: "5" });
    expect(JSON.stringify(trpc.body)).toContain("SERVICE_UNAVAILABLE");
    const rest = await call("/users/me");
    expect(rest).toMatchObject({ status: 503, retryAfter: "5" });
    expect(rest.body.message).toMatch(/database is temporarily unavailable/);

    const delivery = signDelivery(
      webhookSecret,
      clerkUserEvent("user.created", {
        id: "user_during_outage",
        email: "during@example.com",
        updatedAt: Date.now(),
      }),
    );
    expect((await postDelivery(server.url, delivery)).status).toBe(503);

    const vapi = await postVapi(
      server.url,
      toolCallsMessage("asst_outage", [
        { id: "tc_1", name: "check_availability", args: {} },
        { id: "tc_2", name: "book_appointment", args: {} },
      ]),
      { authorization: `Bearer ${vapiSecret}` },
    );
    expect(vapi.status).toBe(200);
    expect(vapi.body).toEqual({
      results: [
        { toolCallId: "tc_1", error: expect.stringMatching(/try again/) },
        { toolCallId: "tc_2", error: expect.stringMatching(/try again/) },
      ],
    });

    await postgres.start();
    const restartedAt = performance.now();
    await expect
      .poll(async () => (await call("/trpc/users.me")).status, { timeout: 15_000, interval: 100 })
      .toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await load.stop();

    const during = load.answers.filter((answer) => answer.at > stoppedAt);
    const unavailable = during.filter((answer) => answer.status === 503);
    const firstOkAfter = during.find((answer) => answer.at > restartedAt && answer.status === 200);
    const recoveryMs = (firstOkAfter?.at ?? Number.NaN) - restartedAt;
    console.info(
      `outage under load: ${during.length} requests after the stop, ${unavailable.length} x 503, ` +
        `statuses ${[...new Set(load.answers.map((answer) => answer.status))].sort().join("/")}, ` +
        `first 200 ${recoveryMs.toFixed(0)} ms after PostgreSQL was back (outage ${(restartedAt - stoppedAt).toFixed(0)} ms)`,
    );
    expect(load.answers.every((answer) => answer.status === 200 || answer.status === 503)).toBe(true);
    expect(unavailable.length).toBeGreaterThan(0);
    expect(unavailable.every((answer) => answer.retryAfter === "5")).toBe(true);
    expect(firstOkAfter).toBeDefined();
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);

    // Svix redelivers the same message: applied now, nothing lost.
    const redelivered = await postDelivery(server.url, delivery);
    expect(redelivered).toEqual({ status: 200, body: { received: true, outcome: "applied" } });
    const user = await server.db.user.findUnique({ where: { clerkUserId: "user_during_outage" } });
    expect(user?.email).toBe("during@example.com");
  });
});
