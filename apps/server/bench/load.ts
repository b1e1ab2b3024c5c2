import { spawn } from "node:child_process";
import { createRequire } from "node:module";

export interface LoadRequest {
  url: string;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

const autocannonBin = createRequire(import.meta.url).resolve("autocannon/autocannon.js");

/**
 * Drives one URL with autocannon in a separate process, so the load generator does not share an event
 * loop with the server under test.
 */
export function runLoad(request: LoadRequest, seconds: number, connections = 50): Promise<LoadResult> {
  const args = [
    autocannonBin,
    "--json",
    "-c",
    String(connections),
    "-d",
    String(seconds),
    "-m",
    request.method ?? "GET",
  ];
  for (const [name, value] of Object.entries(request.headers ?? {})) args.push("-H", `${name}=${value}`);
  if (request.body) args.push("-b", request.body);
  args.push(request.url);
  // autocannon's CLI draws its human-readable table on stderr; the JSON on stdout is what is read.
  return runLoadProcess("autocannon", args, "ignore");
}

/**
 * Runs a load generator as its own process (autocannon's CLI, or a worker using its API) and reads the
 * autocannon JSON result it prints, so the load never shares an event loop with the server under test.
 */
export async function runLoadProcess(
  label: string,
  args: string[],
  stderr: "inherit" | "ignore" = "inherit",
): Promise<LoadResult> {
  const result = await runLoadProcessJson<{
    requests: { average: number };
    latency: { p50: number; p99: number };
    errors: number;
    non2xx: number;
  }>(label, args, stderr);
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

/** Runs a load generator process and parses the JSON it prints on stdout. */
export function runLoadProcessJson<T>(
  label: string,
  args: string[],
  stderr: "inherit" | "ignore" = "inherit",
): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", stderr] });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`${label} exited with ${code}`));
      resolve(JSON.parse(output) as T);
    });
  });
}
