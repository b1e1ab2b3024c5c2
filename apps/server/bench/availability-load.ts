import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { AvailabilityLoadOptions } from "./availability-worker.js";
import type { LoadResult } from "./load.js";

const worker = fileURLToPath(new URL("./availability-worker.js", import.meta.url));

/** Drives events.availability from a separate process (like runLoad), see availability-worker.ts. */
export function runAvailabilityLoad(options: AvailabilityLoadOptions): Promise<LoadResult> {
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
      if (code !== 0) return reject(new Error(`availability load exited with ${code}`));
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
