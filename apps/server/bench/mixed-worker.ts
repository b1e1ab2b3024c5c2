/**
 * Load generator for the mixed bench (mixed.ts), run as its own process: one autocannon instance per
 * server process, each request drawn from a mix of users.me, signed Clerk webhooks (10% of them a
 * repeat of an earlier delivery), events.availability (cold: a new window each time, so both providers
 * are asked) and events.create (10% a retry with the same idempotency key). It records what it sent
 * and what came back, so the parent can check the database for lost or doubled effects.
 * Input: JSON in argv[2]. Output: JSON (MixedResult) on stdout.
 */
import { Webhook } from "svix";
import { type AutocannonRequest, autocannon } from "./autocannon.js";
import { clerkUserUpdatedEvent } from "./clerk-webhook-payload.js";

export interface MixedLoadOptions {
  urls: string[];
  seconds: number;
  /** Spread evenly over the servers. */
  connections: number;
  /** Prefix of this run's svix-ids and idempotency keys. */
  runId: string;
  /** Bookings start this many hours after 2028-01-03, one hour apart. */
  firstBookingHour: number;
  secret: string;
  /** Seeded users user_bench_1..users receive the webhooks. */
  users: number;
  /** Session tokens of users.me callers. */
  meTokens: string[];
  /** Session tokens of users with both calendars connected (availability and bookings). */
  calendarTokens: string[];
}

type Kind = "me" | "webhook" | "availability" | "booking";

export interface MixedResult {
  perServer: { requests: number; p50: number; p99: number; errors: number; timeouts: number }[];
  statuses: Record<Kind, Record<string, number>>;
  /** Per kind: p50 and p99 in ms, measured from building the request to its answer. */
  latency: Record<Kind, { p50: number; p99: number }>;
  webhook: {
    /** Distinct svix-ids sent (repeats not counted). */
    sent: number;
    /** The svix-ids that got at least one 2xx answer: each must be recorded. */
    answered: string[];
    repeats: number;
    /** svix-ids with more than one answer other than "duplicate": an effect applied twice. */
    appliedTwice: number;
    /** Per user, the newest updated_at among deliveries answered 2xx: the profile the row must hold. */
    newest: Record<string, number>;
  };
  booking: {
    sent: number;
    /** Idempotency keys that got at least one 2xx answer: each must have exactly one booking row. */
    answered: string[];
    retries: number;
    /** Keys whose 2xx answers named more than one event: booked twice. */
    bookedTwice: number;
  };
  /** The first answer body seen per kind and non-2xx status, to explain them. */
  samples: Record<string, string>;
}

const options = JSON.parse(process.argv[2] ?? "{}") as MixedLoadOptions;
const webhook = new Webhook(options.secret);
const weights: [Kind, number][] = [
  ["me", 0.4],
  ["webhook", 0.3],
  ["availability", 0.2],
  ["booking", 0.1],
];
const weekStart = Date.parse("2027-03-15T00:00:00-05:00");
const bookingStart = Date.parse("2028-01-03T00:00:00Z");
const hourMs = 3_600_000;

let sequence = 0;
const result: MixedResult = {
  perServer: [],
  statuses: { me: {}, webhook: {}, availability: {}, booking: {} },
  latency: {} as MixedResult["latency"],
  webhook: { sent: 0, answered: [], repeats: 0, appliedTwice: 0, newest: {} },
  booking: { sent: 0, answered: [], retries: 0, bookedTwice: 0 },
  samples: {},
};
/** Per svix-id: answers other than "duplicate". */
const applied = new Map<string, number>();
/** Per idempotency key: the event the first 2xx answer named. */
const sentDeliveries: SentDelivery[] = [];
const sentBookings: AutocannonRequest[] = [];
const bookedEvent = new Map<string, string>();
const doubled = new Set<string>();

const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)] as T;

function kindOf(draw: number): Kind {
  let sum = 0;
  for (const [kind, weight] of weights) {
    sum += weight;
    if (draw < sum) return kind;
  }
  return "me";
}

const latencies: Record<Kind, number[]> = { me: [], webhook: [], availability: [], booking: [] };

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0);
}

interface Context {
  kind?: Kind;
  sentAt?: number;
  /** For answers: what this request was. */
  meta: { svixId?: string; user?: string; updatedAt?: number; key?: string };
}

interface SentDelivery {
  request: AutocannonRequest;
  svixId: string;
  user: string;
  updatedAt: number;
}

function newDelivery(): SentDelivery {
  const n = sequence++;
  const userNumber = 1 + Math.floor(Math.random() * options.users);
  const svixId = `msg_mix_${options.runId}_${process.pid}_${n}`;
  const updatedAt = Date.now();
  const body = clerkUserUpdatedEvent(userNumber, updatedAt);
  const now = new Date();
  const request = {
    method: "POST",
    path: "/webhooks/clerk",
    body,
    headers: {
      "content-type": "application/json",
      "svix-id": svixId,
      "svix-timestamp": String(Math.floor(now.getTime() / 1000)),
      "svix-signature": webhook.sign(svixId, now, body),
    },
  };
  return { request, svixId, user: `user_bench_${userNumber}`, updatedAt };
}

function newBooking(): AutocannonRequest {
  const n = sequence++;
  const start = bookingStart + (options.firstBookingHour + n) * hourMs;
  const key = `mix_${options.runId}_${process.pid}_${n}`;
  return {
    method: "POST",
    path: "/trpc/events.create",
    headers: { authorization: `Bearer ${pick(options.calendarTokens)}`, "content-type": "application/json" },
    body: JSON.stringify({
      title: "Viewing (bench)",
      start: new Date(start).toISOString(),
      end: new Date(start + hourMs / 2).toISOString(),
      idempotencyKey: key,
    }),
  };
}

function keyOf(request: AutocannonRequest): string {
  return (JSON.parse(request.body ?? "{}") as { idempotencyKey: string }).idempotencyKey;
}

function setupRequest(request: AutocannonRequest, context: Context): AutocannonRequest {
  const kind = kindOf(Math.random());
  context.kind = kind;
  context.sentAt = performance.now();
  context.meta = {};
  switch (kind) {
    case "me":
      return {
        ...request,
        method: "GET",
        path: "/trpc/users.me",
        headers: { authorization: `Bearer ${pick(options.meTokens)}` },
      };
    case "availability": {
      const from = weekStart + sequence++;
      const input = {
        from: new Date(from).toISOString(),
        to: new Date(from + 7 * 86_400_000).toISOString(),
        durationMinutes: 30,
      };
      return {
        ...request,
        method: "GET",
        path: `/trpc/events.availability?input=${encodeURIComponent(JSON.stringify(input))}`,
        headers: { authorization: `Bearer ${pick(options.calendarTokens)}` },
      };
    }
    case "webhook": {
      const repeat = sentDeliveries.length > 0 && Math.random() < 0.1;
      const delivery = repeat ? pick(sentDeliveries) : newDelivery();
      if (repeat) result.webhook.repeats += 1;
      else sentDeliveries.push(delivery);
      context.meta = { svixId: delivery.svixId, user: delivery.user, updatedAt: delivery.updatedAt };
      return { ...request, ...delivery.request };
    }
    case "booking": {
      const repeat = sentBookings.length > 0 && Math.random() < 0.1;
      const booking = repeat ? pick(sentBookings) : newBooking();
      if (repeat) result.booking.retries += 1;
      else sentBookings.push(booking);
      context.meta = { key: keyOf(booking) };
      return { ...request, ...booking };
    }
  }
}

function onResponse(status: number, body: string, context: Context): void {
  const kind = context.kind ?? "me";
  latencies[kind].push(performance.now() - (context.sentAt ?? 0));
  const counts = result.statuses[kind];
  counts[status] = (counts[status] ?? 0) + 1;
  if (status < 200 || status >= 300) {
    result.samples[`${kind} ${status}`] ??= body.slice(0, 300);
    return;
  }
  const { svixId, user, updatedAt, key } = context.meta;
  if (kind === "webhook" && svixId && user && updatedAt) {
    const outcome = (JSON.parse(body) as { outcome?: string }).outcome;
    const earlier = applied.get(svixId);
    if (earlier === undefined) result.webhook.answered.push(svixId);
    const count = (earlier ?? 0) + (outcome === "duplicate" ? 0 : 1);
    applied.set(svixId, count);
    if (count === 2 && outcome !== "duplicate") result.webhook.appliedTwice += 1;
    result.webhook.newest[user] = Math.max(result.webhook.newest[user] ?? 0, updatedAt);
  }
  if (kind === "booking" && key) {
    const eventId = (JSON.parse(body) as { result?: { data?: { id?: string } } }).result?.data?.id ?? "";
    const first = bookedEvent.get(key);
    if (first === undefined) {
      bookedEvent.set(key, eventId);
      result.booking.answered.push(key);
    } else if (first !== eventId && !doubled.has(key)) {
      doubled.add(key);
      result.booking.bookedTwice += 1;
    }
  }
}

function drive(url: string, connections: number): Promise<MixedResult["perServer"][number]> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        connections,
        duration: options.seconds,
        requests: [{ method: "GET", path: "/trpc/users.me", setupRequest, onResponse } as never],
      },
      (error, raw) => {
        if (error) return reject(error);
        const run = raw as {
          requests: { total: number };
          latency: { p50: number; p99: number };
          errors: number;
          timeouts: number;
        };
        resolve({
          requests: run.requests.total,
          p50: run.latency.p50,
          p99: run.latency.p99,
          errors: run.errors,
          timeouts: run.timeouts,
        });
      },
    );
  });
}

const perServer = Math.max(1, Math.round(options.connections / options.urls.length));
result.perServer = await Promise.all(options.urls.map((url) => drive(url, perServer)));
result.webhook.sent = sentDeliveries.length;
for (const [kind, values] of Object.entries(latencies) as [Kind, number[]][])
  result.latency[kind] = { p50: percentile(values, 50), p99: percentile(values, 99) };
result.booking.sent = sentBookings.length;
process.stdout.write(JSON.stringify(result));
