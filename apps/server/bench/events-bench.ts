/**
 * events.availability with BOTH providers connected, against the loopback Graph and Google fakes in
 * their own process, each calendar call answered after BENCH_PROVIDER_LATENCY_MS (default 150 ms):
 * - cold: every request asks about a different window, so both providers are asked every time (in
 *   parallel, so the floor is one provider latency, not two);
 * - warm: the same question per user, answered from the per-user cache, at saturation and paced.
 * Its own server process (same database) has the providers configured; the bench users connect both
 * calendars through the real flow: calendar.connect, the fake's authorize redirect, the callback route.
 */
import { type ChildProcess, fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runAvailabilityLoad } from "./availability-load.js";
import type { AvailabilityLoadOptions } from "./availability-worker.js";
import type { createBenchClerk } from "./clerk.js";
import { type LoadRequest, type LoadResult, runLoad } from "./load.js";
import { forkServer } from "./server-process.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const latencyMs = Number(process.env.BENCH_PROVIDER_LATENCY_MS ?? 150);
export const providers = ["microsoft", "google"] as const;

export interface EventsBenchCase {
  name: string;
  request: LoadRequest;
  load: (seconds: number) => Promise<LoadResult>;
  baseline?: string;
}

interface Stats {
  [route: string]: number;
}

export function fakeProviders(): Promise<{ child: ChildProcess; env: Record<string, string> }> {
  return new Promise((resolve, reject) => {
    const child = fork(join(here, "fake-providers.js"), [String(latencyMs)], {
      execArgv: (process.env.BENCH_FAKES_NODE_FLAGS ?? "").split(" ").filter(Boolean),
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    child.once("error", reject);
    child.once("message", (message: { env: Record<string, string> }) => resolve({ child, env: message.env }));
  });
}

export function providerStats(child: ChildProcess): Promise<Stats> {
  return new Promise((resolve) => {
    const onMessage = (message: { type?: string; stats?: Stats }) => {
      if (message.type !== "stats") return;
      child.off("message", onMessage);
      resolve(message.stats ?? {});
    };
    child.on("message", onMessage);
    child.send({ type: "stats" });
  });
}

export const totalCalls = (stats: Stats) => Object.values(stats).reduce((sum, count) => sum + count, 0);

/** calendar.connect, the provider's authorize redirect, and the server's callback, as a browser would. */
export async function connect(serverUrl: string, token: string, provider: (typeof providers)[number]) {
  const response = await fetch(`${serverUrl}/trpc/calendar.connect`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ provider }),
  });
  const answer = (await response.json()) as { result?: { data?: { authorizationUrl?: string } } };
  const authorizationUrl = answer.result?.data?.authorizationUrl;
  if (!authorizationUrl) throw new Error(`calendar.connect answered ${response.status}`);
  const authorize = await fetch(authorizationUrl, { redirect: "manual" });
  const callback = await fetch(authorize.headers.get("location") ?? "", { redirect: "manual" });
  const landing = new URL(callback.headers.get("location") ?? "", serverUrl);
  const code = landing.searchParams.get("confirmation");
  if (!code)
    throw new Error(`${provider} connect ended at ${landing} (callback answered ${callback.status})`);
  // The frontend's landing page confirms the parked calendar with the same user's session.
  const confirmed = await fetch(`${serverUrl}/trpc/calendar.confirmConnection`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ code }),
  });
  if (!confirmed.ok) throw new Error(`${provider} confirmation answered ${confirmed.status}`);
}

/** Registers a VAPI assistant for the user and returns its webhook secret. */
async function createAgent(serverUrl: string, token: string, vapiAssistantId: string): Promise<string> {
  const response = await fetch(`${serverUrl}/trpc/agents.create`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ vapiAssistantId, name: "Bench line" }),
  });
  const answer = (await response.json()) as { result?: { data?: { webhookSecret?: string } } };
  const secret = answer.result?.data?.webhookSecret;
  if (!secret) throw new Error(`agents.create answered ${response.status}`);
  return secret;
}

/** What VAPI posts when the assistant calls check_availability mid-call. */
function checkAvailabilityMessage(assistantId: string): string {
  const call = {
    id: "tc_bench",
    type: "function",
    function: { name: "check_availability", arguments: { days_ahead: 7 } },
  };
  return JSON.stringify({
    message: { type: "tool-calls", call: { id: "call_bench", assistantId }, toolCallList: [call] },
  });
}

export async function startEventsBench(options: {
  databaseUrl: string;
  clerk: Awaited<ReturnType<typeof createBenchClerk>>;
  /** Seeded users user_bench_1..users connect both calendars. */
  users: number;
  /** The users.me case's name, the same request path without the providers. */
  baseline: string;
}) {
  const children: ChildProcess[] = [];
  const fakes = await fakeProviders();
  children.push(fakes.child);
  const { child: server, url: serverUrl } = await forkServer({
    ...options.clerk.serverEnv,
    ...fakes.env,
    DATABASE_URL: options.databaseUrl,
    FRONTEND_URL: "https://app.viewings.bench",
    TOKEN_ENCRYPTION_KEYS: `events:${randomBytes(32).toString("base64")}`,
    // Required in production; this server receives no webhooks.
    CLERK_WEBHOOK_SECRET: `whsec_${randomBytes(24).toString("base64")}`,
  });
  children.push(server);
  server.once("exit", (code, signal) => {
    if (code !== 0 && signal !== "SIGTERM") console.error(`events bench server exited: ${code ?? signal}`);
  });

  const tokens: string[] = [];
  for (let n = 1; n <= options.users; n++) {
    const token = await options.clerk.sessionToken(`user_bench_${n}`);
    for (const provider of providers) await connect(serverUrl, token, provider);
    tokens.push(token);
  }

  const assistantId = "asst_bench";
  const agentSecret = await createAgent(serverUrl, tokens[0] ?? "", assistantId);

  let runs = 0;
  /** Provider calls per request of each case's last (measured) run. */
  const callsPerRequest = new Map<string, number>();
  const load =
    (
      name: string,
      mode: AvailabilityLoadOptions["mode"],
      connections: number,
      pacing?: { overallRate: number; smooth: boolean },
    ) =>
    async (seconds: number) => {
      runs += 1;
      const before = totalCalls(await providerStats(fakes.child));
      const result = await runAvailabilityLoad({
        url: serverUrl,
        tokens,
        mode,
        seconds,
        connections,
        firstShiftMs: runs * 10_000_000,
        ...pacing,
      });
      const calls = totalCalls(await providerStats(fakes.child)) - before;
      callsPerRequest.set(name, calls / Math.max(1, result.requestsPerSecond * seconds));
      return result;
    };

  const request = { url: `${serverUrl}/trpc/events.availability` };
  const cold = `events.availability cold: 2 providers +${latencyMs} ms each, cache miss every request`;
  // The same at a concurrency the server is not saturated by: what one request waits for.
  const cold10 = `${cold}, 10 connections`;
  const warm = `events.availability warm (cache hit), ${options.users} users, saturating`;
  const paced = `events.availability warm (cache hit), ${options.users} users, autocannon -R 200`;
  const smooth = `events.availability warm (cache hit), ${options.users} users, evenly paced 200 req/s`;
  const vapi = "POST /webhooks/vapi check_availability (warm cache), 50 connections";
  const vapiRequest: LoadRequest = {
    url: `${serverUrl}/webhooks/vapi`,
    method: "POST",
    headers: { authorization: `Bearer ${agentSecret}`, "content-type": "application/json" },
    body: checkAvailabilityMessage(assistantId),
  };
  const cases: EventsBenchCase[] = [
    { name: cold, request, load: load(cold, "cold", 50) },
    { name: cold10, request, load: load(cold10, "cold", 10) },
    { name: warm, request, load: load(warm, "warm", 50), baseline: options.baseline },
    {
      name: paced,
      request,
      load: load(paced, "warm", 50, { overallRate: 200, smooth: false }),
      baseline: options.baseline,
    },
    { name: smooth, request, load: load(smooth, "warm", 50, { overallRate: 200, smooth: true }) },
    {
      name: vapi,
      request: vapiRequest,
      load: (seconds) => runLoad(vapiRequest, seconds),
      baseline: options.baseline,
    },
  ];

  return {
    children,
    cases,
    report(results: Map<string, LoadResult>) {
      console.log(`\nevents.availability, both providers connected, ${options.users} users`);
      for (const [name, connections] of [
        [cold, 50],
        [cold10, 10],
      ] as const) {
        const result = results.get(name);
        if (!result) continue;
        const ratio = (result.p50 / latencyMs).toFixed(2);
        console.log(
          `- cold, ${connections} connections: p50 ${result.p50} ms = ${ratio}x the ${latencyMs} ms provider floor (goal < 1.3x), ${result.requestsPerSecond.toFixed(0)} req/s`,
        );
      }
      const voice = results.get(vapi);
      if (voice)
        console.log(
          `- ${vapi}: p50 ${voice.p50} ms, p99 ${voice.p99} ms, ${voice.requestsPerSecond.toFixed(0)} req/s`,
        );
      for (const name of [warm, paced, smooth]) {
        const result = results.get(name);
        if (result) console.log(`- ${name}: p50 ${result.p50} ms (goal < 5 ms), p99 ${result.p99} ms`);
      }
      for (const [name, calls] of callsPerRequest) {
        console.log(`- provider calls per request, ${name}: ${calls.toFixed(2)}`);
      }
    },
  };
}
