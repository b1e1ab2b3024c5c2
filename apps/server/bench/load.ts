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
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "ignore"] });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited with ${code}`));
      const result = JSON.parse(output);
      resolve({
        requestsPerSecond: result.requests.average,
        p50: result.latency.p50,
        p99: result.latency.p99,
        errors: result.errors,
        non2xx: result.non2xx,
      });
    });
  });
}
