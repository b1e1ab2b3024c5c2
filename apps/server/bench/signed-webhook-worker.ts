/**
 * Load generator for POST /webhooks/clerk, run as its own process by signed-webhook-load.ts. autocannon's
 * CLI sends one fixed body, but every delivery needs its own svix-id and signature (a repeated svix-id
 * is only a duplicate), so this drives autocannon programmatically and signs each request in
 * setupRequest with svix, as Svix does.
 * Input: JSON in argv[2]. Output: autocannon's result as JSON on stdout.
 */
import { Webhook } from "svix";
import { type AutocannonRequest, autocannon } from "./autocannon.js";
import { clerkUserUpdatedEvent } from "./clerk-webhook-payload.js";

export interface SignedWebhookLoadOptions {
  url: string;
  secret: string;
  seconds: number;
  connections: number;
  /** Deliveries cycle through seeded users user_bench_1..users. */
  users: number;
}

const options = JSON.parse(process.argv[2] ?? "{}") as SignedWebhookLoadOptions;
const webhook = new Webhook(options.secret);
let sequence = 0;

function signedDelivery(request: AutocannonRequest): AutocannonRequest {
  const n = sequence++;
  const svixId = `msg_bench_${process.pid}_${n}`;
  // Increasing updated_at, so every delivery is a newer profile and is applied (none is stale).
  const body = clerkUserUpdatedEvent((n % options.users) + 1, Date.now());
  const now = new Date();
  return {
    ...request,
    body,
    headers: {
      "content-type": "application/json",
      "svix-id": svixId,
      "svix-timestamp": String(Math.floor(now.getTime() / 1000)),
      "svix-signature": webhook.sign(svixId, now, body),
    },
  };
}

autocannon(
  {
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    requests: [{ method: "POST", path: "/webhooks/clerk", setupRequest: signedDelivery }],
  },
  (error, result) => {
    if (error) {
      console.error(error);
      process.exit(1);
    }
    process.stdout.write(JSON.stringify(result));
  },
);
