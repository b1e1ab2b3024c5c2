/**
 * Load generator for events.availability, run as its own process by availability-load.ts. Each request
 * is sent as one of the bench users (round robin over their Clerk tokens), so the per-user cache is
 * exercised as 50 users would. In `cold` mode every request asks about a different window (shifted by
 * a millisecond per request), so none can be answered from the cache and both providers are asked.
 * Input: JSON in argv[2]. Output: autocannon's result as JSON on stdout.
 */
import { createRequire } from "node:module";

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
}

interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
}
// autocannon ships no types; only the programmatic call used here is declared.
type Autocannon = (
  options: {
    url: string;
    connections: number;
    duration: number;
    overallRate?: number;
    requests: {
      method: string;
      path: string;
      setupRequest: (request: AutocannonRequest) => AutocannonRequest;
    }[];
  },
  done: (error: Error | null, result: unknown) => void,
) => unknown;

const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;
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
