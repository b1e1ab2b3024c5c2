import { fileURLToPath } from "node:url";
import { type LoadResult, runLoadProcess } from "./load.js";
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
  return runLoadProcess("signed webhook load", [worker, JSON.stringify(options)]);
}
