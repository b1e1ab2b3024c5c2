import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { LoadResult } from "./load.js";
import type { SignedWebhookLoadOptions } from "./signed-webhook-worker.js";

const worker = fileURLToPath(new URL("./signed-webhook-worker.js", import.meta.url));

/**
 * Sends verified user.updated deliveries, each with its own svix-id and signature, from a separate
 * process (like runLoad) so the load generator does not share an event loop with the server.
 */
export function runSignedWebhookLoad(
  target: Omit<SignedWebhookLoadOptions, "seconds" | "connections">,
  seconds: number,
  connections = 50,
): Promise<LoadResult> {
  const options: SignedWebhookLoadOptions = { ...target, seconds, connections };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [worker, JSON.stringify(options)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`signed webhook load exited with ${code}`));
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
