/**
 * Load generator for events.availability, run as its own process by availability-load.ts. Each request
 * is sent as one of the bench users (round robin over their Clerk tokens), so the per-user cache is
 * exercised as 50 users would. In `cold` mode every request asks about a different window (shifted by
 * a millisecond per request), so none can be answered from the cache and both providers are asked.
 * Input: JSON in argv[2]. Output: autocannon's result as JSON on stdout.
 */
import { Agent, request } from "node:http";
import { type AutocannonRequest, autocannon } from "./autocannon.js";

export interface AvailabilityLoadOptions {
  url: string;
  tokens: string[];
  mode: "cold" | "warm";
  seconds: number;
  connections: number;
  /** Requests per second across all connections; unset = as fast as the server answers. */
  overallRate?: number;
  /** Cold mode: the first request's window shift, so consecutive runs never repeat a window. */
  firstShiftMs: number;
  /**
   * With overallRate: send each connection's requests evenly spaced (connection i every
   * connections/overallRate s, offset by i/overallRate s) instead of through autocannon, whose rate
   * limit sends each second's requests in one burst per connection.
   */
  smooth?: boolean;
}

const options = JSON.parse(process.argv[2] ?? "{}") as AvailabilityLoadOptions;

/** A working week well in the future (2027), so "now" never clips it. */
const weekStart = Date.parse("2027-03-15T00:00:00-05:00");
const weekMs = 7 * 86_400_000;
let sequence = 0;

function availabilityPath(from: number): string {
  const input = {
    from: new Date(from).toISOString(),
    to: new Date(from + weekMs).toISOString(),
    durationMinutes: 30,
  };
  return `/trpc/events.availability?input=${encodeURIComponent(JSON.stringify(input))}`;
}

function nextRequest(request: AutocannonRequest): AutocannonRequest {
  const n = sequence++;
  const token = options.tokens[n % options.tokens.length];
  // Cold: a window one millisecond later than the last one is a different cache key, same busy data.
  const from = options.mode === "cold" ? weekStart + options.firstShiftMs + n : weekStart;
  return { ...request, path: availabilityPath(from), headers: { authorization: `Bearer ${token}` } };
}

/**
 * Evenly paced requests over keep-alive connections, latency measured per request (no coordinated
 * omission correction is needed: a request is never held back by a slow previous one, each connection
 * only waits when its previous answer is still pending). Output has autocannon's result shape.
 */
async function smoothLoad(): Promise<unknown> {
  const rate = options.overallRate ?? 1;
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  const get = (path: string, token: string) =>
    new Promise<number>((resolve, reject) => {
      const started = performance.now();
      const req = request(
        `${options.url}${path}`,
        { agent, headers: { authorization: `Bearer ${token}` } },
        (res) => {
          res.resume();
          res.on("end", () => {
            if ((res.statusCode ?? 0) >= 300) non2xx += 1;
            resolve(performance.now() - started);
          });
        },
      );
      req.on("error", reject);
      req.end();
    });
  const until = performance.now() + options.seconds * 1000;
  const intervalMs = (options.connections / rate) * 1000;
  await Promise.all(
    Array.from({ length: options.connections }, async (_, connection) => {
      let due = performance.now() + (connection * 1000) / rate;
      while (due < until) {
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const next = nextRequest({});
        try {
          latencies.push(await get(next.path ?? "", next.headers?.authorization?.slice(7) ?? ""));
        } catch {
          errors += 1;
        }
        due += intervalMs;
      }
    }),
  );
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0) * 100) /
    100;
  return {
    requests: { average: latencies.length / options.seconds },
    latency: { p50: at(0.5), p99: at(0.99) },
    errors,
    non2xx,
  };
}

if (options.smooth) {
  smoothLoad().then((result) => process.stdout.write(JSON.stringify(result)));
} else
  autocannon(
    {
      url: options.url,
      connections: options.connections,
      duration: options.seconds,
      ...(options.overallRate ? { overallRate: options.overallRate } : {}),
      requests: [{ method: "GET", path: availabilityPath(weekStart), setupRequest: nextRequest }],
    },
    (error, result) => {
      if (error) {
        console.error(error);
        process.exit(1);
      }
      process.stdout.write(JSON.stringify(result));
    },
  );
