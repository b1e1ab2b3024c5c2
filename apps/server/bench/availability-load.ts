import { fileURLToPath } from "node:url";
import type { AvailabilityLoadOptions } from "./availability-worker.js";
import { type LoadResult, runLoadProcess } from "./load.js";

const worker = fileURLToPath(new URL("./availability-worker.js", import.meta.url));

/** Drives events.availability from a separate process (like runLoad), see availability-worker.ts. */
export function runAvailabilityLoad(options: AvailabilityLoadOptions): Promise<LoadResult> {
  return runLoadProcess("availability load", [worker, JSON.stringify(options)]);
}
