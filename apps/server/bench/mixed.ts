/**
 * `pnpm bench:mixed`: 1, 2 and 3 server processes (BENCH_MIXED_PROCESSES, default "1,2,3") on one
 * PostgreSQL under the same mixed load (mixed-worker.ts: users.me, signed webhooks with 10% repeated
 * deliveries, cold availability and bookings against the loopback providers) for BENCH_MIXED_SECONDS
 * (default 60) after BENCH_WARMUP_SECONDS (default 10). After each run it checks, in the database:
 * no 5xx; every delivery answered 2xx recorded once and none left 'processing'; every user's row
 * holding the newest profile sent for it; one booking row per idempotency key answered 2xx, each with
 * its provider event; provider create calls per booking. And each server's RSS growth after warm-up.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { removeEmbeddedPostgresData, startEmbeddedPostgres } from "@viewings/db/embedded";
import { applyMigrations } from "@viewings/db/migrate";
import pg from "pg";
import { createBenchClerk } from "./clerk.js";
import { connect, fakeProviders, providerStats, providers } from "./events-bench.js";
import { runLoadProcessJson } from "./load.js";
import type { MixedLoadOptions, MixedResult } from "./mixed-worker.js";
import { stop } from "./processes.js";
import { seedUsers } from "./seed.js";
import { forkServer, rssMb, type ServerProcess } from "./server-process.js";

const seconds = Number(process.env.BENCH_MIXED_SECONDS ?? 60);
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const processCounts = (process.env.BENCH_MIXED_PROCESSES ?? "1,2,3").split(",").map(Number);
const users = 10_000;
const calendarUsers = 20;
const settleMs = 5_000;
const worker = fileURLToPath(new URL("./mixed-worker.js", import.meta.url));

interface RunReport {
  processes: number;
  load: MixedResult;
  checks: Record<string, string | number>;
  failures: string[];
  rss: { warm: number; end: number }[];
}

async function verify(db: pg.Client, runId: string, load: MixedResult, providerCreates: number) {
  const failures: string[] = [];
  const fiveXx = Object.values(load.statuses)
    .flatMap((counts) => Object.entries(counts))
    .filter(([status]) => Number(status) >= 500)
    .reduce((sum, [, count]) => sum + count, 0);
  if (fiveXx > 0) failures.push(`${fiveXx} answers were 5xx`);

  // Requests still in flight when the load stopped were handled too: recorded may exceed answered,
  // never the distinct svix-ids sent.
  const deliveries = await db.query<{ total: string; answered: string; processing: string }>(
    `SELECT count(*) AS total, count(*) FILTER (WHERE svix_id = ANY($2)) AS answered,
            count(*) FILTER (WHERE outcome = 'processing') AS processing
     FROM clerk_webhook_events WHERE svix_id LIKE $1`,
    [`msg_mix_${runId}_%`, load.webhook.answered],
  );
  const delivery = deliveries.rows[0];
  const lostDeliveries = load.webhook.answered.length - Number(delivery?.answered);
  if (lostDeliveries > 0) failures.push(`${lostDeliveries} deliveries answered 2xx are not recorded`);
  if (Number(delivery?.total) > load.webhook.sent) failures.push("more deliveries recorded than sent");
  if (Number(delivery?.processing) > 0) failures.push("deliveries left 'processing'");
  if (load.webhook.appliedTwice > 0) failures.push(`${load.webhook.appliedTwice} deliveries applied twice`);

  const expected = Object.entries(load.webhook.newest);
  const stored = await db.query<{ clerk_user_id: string; at: string }>(
    `SELECT clerk_user_id, (extract(epoch FROM clerk_updated_at) * 1000)::bigint AS at
     FROM users WHERE clerk_user_id = ANY($1)`,
    [expected.map(([user]) => user)],
  );
  const storedAt = new Map(stored.rows.map((row) => [row.clerk_user_id, Number(row.at)]));
  const behind = expected.filter(([user, at]) => (storedAt.get(user) ?? 0) < at).length;
  if (behind > 0) failures.push(`${behind} users do not hold the newest profile answered 2xx`);

  const bookings = await db.query<{ total: string; keys: string; answered: string; unconfirmed: string }>(
    `SELECT count(*) AS total, count(DISTINCT idempotency_key) AS keys,
            count(*) FILTER (WHERE idempotency_key = ANY($2) AND status = 'confirmed') AS answered,
            count(*) FILTER (WHERE status = 'confirmed' AND provider_event_id IS NULL) AS unconfirmed
     FROM bookings WHERE idempotency_key LIKE $1`,
    [`mix_${runId}_%`, load.booking.answered],
  );
  const booking = bookings.rows[0];
  if (Number(booking?.total) !== Number(booking?.keys)) failures.push("a booking key has more than one row");
  const lostBookings = load.booking.answered.length - Number(booking?.answered);
  if (lostBookings > 0) failures.push(`${lostBookings} bookings answered 2xx have no confirmed row`);
  if (Number(booking?.unconfirmed) > 0) failures.push("a confirmed booking has no provider event");
  if (load.booking.bookedTwice > 0)
    failures.push(`${load.booking.bookedTwice} keys answered with two events`);
  return {
    failures,
    checks: {
      "5xx": fiveXx,
      "deliveries sent / answered 2xx / recorded (answered ones)": `${load.webhook.sent} / ${load.webhook.answered.length} / ${delivery?.total} (${delivery?.answered})`,
      "repeated deliveries / svix-ids applied twice": `${load.webhook.repeats} / ${load.webhook.appliedTwice}`,
      "users checked for the newest profile / behind": `${expected.length} / ${behind}`,
      "booking keys sent / answered 2xx / rows (answered ones) / confirmed rows without provider event": `${load.booking.sent} / ${load.booking.answered.length} / ${booking?.total} (${booking?.answered}) / ${booking?.unconfirmed}`,
      "booking retries / keys booked twice": `${load.booking.retries} / ${load.booking.bookedTwice}`,
      "provider create calls per booking row": (
        providerCreates / Math.max(1, Number(booking?.total))
      ).toFixed(2),
      "non-2xx samples": JSON.stringify(load.samples),
    },
  };
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), "viewings-bench-mixed-"));
  const postgres = await startEmbeddedPostgres({ dataDir });
  const fakes = await fakeProviders();
  const reports: RunReport[] = [];
  const db = new pg.Client({ connectionString: postgres.url() });
  try {
    const databaseUrl = postgres.url();
    await applyMigrations(databaseUrl);
    await seedUsers(databaseUrl, users);
    await db.connect();
    const clerk = await createBenchClerk();
    const env = {
      ...clerk.serverEnv,
      ...fakes.env,
      DATABASE_URL: databaseUrl,
      CLERK_WEBHOOK_SECRET: `whsec_${randomBytes(24).toString("base64")}`,
      TOKEN_ENCRYPTION_KEYS: `mixed:${randomBytes(32).toString("base64")}`,
      FRONTEND_URL: "https://app.viewings.bench",
    };
    const meTokens = await Promise.all(
      Array.from({ length: 50 }, (_, n) => clerk.sessionToken(`user_bench_${1 + n * 197}`)),
    );
    const calendarTokens = await Promise.all(
      Array.from({ length: calendarUsers }, (_, n) => clerk.sessionToken(`user_bench_${users - n}`)),
    );

    for (const count of processCounts) {
      const servers: ServerProcess[] = [];
      try {
        for (let n = 0; n < count; n++) servers.push(await forkServer(env));
        if (reports.length === 0) {
          for (const token of calendarTokens)
            for (const provider of providers) await connect(servers[0]?.url ?? "", token, provider);
        }
        const runId = `${count}p${Date.now()}`;
        let loads = 0;
        const options = (duration: number, id: string): MixedLoadOptions => ({
          // Every load books its own stretch of time, so no booking meets an earlier load's event.
          firstBookingHour: (reports.length * 2 + loads++) * 50_000,
          urls: servers.map((server) => server.url),
          seconds: duration,
          connections,
          runId: id,
          secret: env.CLERK_WEBHOOK_SECRET,
          users,
          meTokens,
          calendarTokens,
        });
        await runLoadProcessJson<MixedResult>("mixed load", [
          worker,
          JSON.stringify(options(warmupSeconds, `warm${runId}`)),
        ]);
        const warm = await Promise.all(servers.map((server) => rssMb(server.child.pid)));
        const creates = async () => {
          const stats = await providerStats(fakes.child);
          return (stats.createEvent ?? 0) + (stats["events.insert"] ?? 0);
        };
        const createsBefore = await creates();
        const load = await runLoadProcessJson<MixedResult>("mixed load", [
          worker,
          JSON.stringify(options(seconds, runId)),
        ]);
        const end = await Promise.all(servers.map((server) => rssMb(server.child.pid)));
        // Let requests still in flight when the load stopped finish before counting their effects.
        await new Promise((resolve) => setTimeout(resolve, settleMs));
        const { failures, checks } = await verify(db, runId, load, (await creates()) - createsBefore);
        reports.push({
          processes: count,
          load,
          checks,
          failures,
          rss: warm.map((w, i) => ({ warm: w, end: end[i] ?? 0 })),
        });
        printRun(reports.at(-1) as RunReport);
      } finally {
        await Promise.all(servers.map((server) => stop(server.child)));
      }
    }
    printSummary(reports);
    if (reports.some((report) => report.failures.length > 0)) process.exitCode = 1;
  } finally {
    await db.end().catch(() => {});
    await stop(fakes.child);
    await postgres.stop();
    removeEmbeddedPostgresData(dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const requestsPerSecond = (report: RunReport) =>
  report.load.perServer.reduce((sum, server) => sum + server.requests, 0) / seconds;

function printRun(report: RunReport) {
  console.log(`\n## ${report.processes} server process(es), ${connections} connections, ${seconds} s`);
  console.log(`throughput: ${requestsPerSecond(report).toFixed(0)} req/s`);
  for (const [index, server] of report.load.perServer.entries()) {
    const rss = report.rss[index];
    const growth = rss ? (((rss.end - rss.warm) / rss.warm) * 100).toFixed(1) : "?";
    console.log(
      `- server ${index + 1}: ${server.requests} requests, p50 ${server.p50} ms, p99 ${server.p99} ms, ` +
        `RSS ${rss?.warm.toFixed(0)} -> ${rss?.end.toFixed(0)} MB (${growth}%)`,
    );
  }
  console.log(`- answers by kind and status: ${JSON.stringify(report.load.statuses)}`);
  console.log(`- latency by kind (p50/p99 ms): ${JSON.stringify(report.load.latency)}`);
  for (const [name, value] of Object.entries(report.checks)) console.log(`- ${name}: ${value}`);
  console.log(report.failures.length ? `FAILED: ${report.failures.join("; ")}` : "all checks passed");
}

function printSummary(reports: RunReport[]) {
  console.log("\n| processes | req/s | vs 1 process | max RSS growth after warm-up | checks |");
  console.log("|---:|---:|---:|---:|---|");
  const single = reports.find((report) => report.processes === 1);
  for (const report of reports) {
    const growth = Math.max(...report.rss.map((rss) => ((rss.end - rss.warm) / rss.warm) * 100));
    const ratio = single ? `${(requestsPerSecond(report) / requestsPerSecond(single)).toFixed(2)}x` : "-";
    console.log(
      `| ${report.processes} | ${requestsPerSecond(report).toFixed(0)} | ${ratio} | ${growth.toFixed(1)}% | ` +
        `${report.failures.length ? report.failures.join("; ") : "passed"} |`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
