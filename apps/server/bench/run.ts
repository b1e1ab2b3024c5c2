/**
 * `pnpm bench`: starts the real server and a bare baseline on one embedded PostgreSQL, drives each case
 * with autocannon from a separate process (50 connections, warm-up then a measured run), and prints
 * req/s, p50 and p99 with each case's ratio against its baseline measured in the same run.
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
import { startEventsBench } from "./events-bench.js";
import { type LoadRequest, type LoadResult, runLoad } from "./load.js";
import { forkReportingPort, stop } from "./processes.js";
import { seedUsers } from "./seed.js";
import { forkServer } from "./server-process.js";
import { runSignedWebhookLoad } from "./signed-webhook-load.js";

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
// Under 5 s the first case still pays start-up costs (JIT, pool connections): p99 in seconds.
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
const seededUsers = 10_000;
/** Runs only the cases whose name matches this regular expression (and their baselines). */
const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : null;

const here = fileURLToPath(new URL(".", import.meta.url));

interface BenchCase {
  name: string;
  request: LoadRequest;
  /** A custom load generator (e.g. one signing each request); default: autocannon's CLI on `request`. */
  load?: (seconds: number) => Promise<LoadResult>;
  /** Name of the case this one is divided by; baselines have none. */
  baseline?: string;
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), "viewings-bench-"));
  const postgres = await startEmbeddedPostgres({ dataDir });
  const children = [];
  try {
    const databaseUrl = postgres.url();
    await applyMigrations(databaseUrl);
    await seedUsers(databaseUrl, seededUsers);

    const clerk = await createBenchClerk();
    const webhookSecret = `whsec_${randomBytes(24).toString("base64")}`;
    const tokenKeys = `bench:${randomBytes(32).toString("base64")}`;
    const { child: server, url: serverUrl } = await forkServer({
      ...clerk.serverEnv,
      DATABASE_URL: databaseUrl,
      CLERK_WEBHOOK_SECRET: webhookSecret,
      TOKEN_ENCRYPTION_KEYS: tokenKeys,
    });
    children.push(server);
    const baseline = await forkReportingPort(join(here, "baseline-server.js"), [databaseUrl]);
    children.push(baseline.child);
    const baselineUrl = `http://127.0.0.1:${baseline.port}`;
    // Its own server with both calendar providers (loopback fakes in another process) configured.
    const events = await startEventsBench({
      databaseUrl,
      clerk,
      users: 50,
      baseline: "users.me (Clerk bearer, tRPC, Prisma)",
    });
    children.push(...events.children);

    const target = "user_bench_4242";
    const token = await clerk.sessionToken(target);
    const cases: BenchCase[] = [
      { name: "baseline: express + pg lookup", request: { url: `${baselineUrl}/baseline/user/${target}` } },
      {
        name: "users.me (Clerk bearer, tRPC, Prisma)",
        baseline: "baseline: express + pg lookup",
        request: { url: `${serverUrl}/trpc/users.me`, headers: { authorization: `Bearer ${token}` } },
      },
      // The server has no empty route: /healthz (a constant JSON answer) is its cheapest, and it runs in
      // the same process as the webhook, so the ratio isolates the webhook's own cost.
      { name: "baseline: server GET /healthz", request: { url: `${serverUrl}/healthz` } },
      {
        name: "POST /webhooks/clerk (svix-verified user.updated, distinct svix-ids)",
        baseline: "baseline: server GET /healthz",
        request: { url: `${serverUrl}/webhooks/clerk`, method: "POST" },
        load: (duration) =>
          runSignedWebhookLoad({ url: serverUrl, secret: webhookSecret, users: seededUsers }, duration),
      },
    ];

    cases.push(...events.cases);
    const selected = only ? cases.filter((benchCase) => only.test(benchCase.name)) : cases;
    const wanted = new Set(selected.flatMap((benchCase) => [benchCase.name, benchCase.baseline]));

    const results = new Map<string, LoadResult>();
    /** The newest measurement of each case (baselines are measured again after each case using them). */
    const latest = new Map<string, LoadResult>();
    const bracketed = new Map<string, Bracket>();
    const drive = (benchCase: BenchCase, duration: number) =>
      benchCase.load ? benchCase.load(duration) : runLoad(benchCase.request, duration);
    const measure = async (benchCase: BenchCase) => {
      const result = await drive(benchCase, seconds);
      if (result.non2xx > 0 || result.errors > 0) {
        throw new Error(`${benchCase.name}: ${result.non2xx} non-2xx responses, ${result.errors} errors`);
      }
      latest.set(benchCase.name, result);
      return result;
    };
    for (const benchCase of cases.filter((candidate) => wanted.has(candidate.name))) {
      await drive(benchCase, warmupSeconds);
      results.set(benchCase.name, await measure(benchCase));
      // The machine's load drifts during a run: the baseline is measured right before (its newest
      // figure) and again right after the case, and the case is divided by the mean of the two.
      const baselineCase = cases.find((candidate) => candidate.name === benchCase.baseline);
      const before = benchCase.baseline ? latest.get(benchCase.baseline) : undefined;
      if (baselineCase && before) bracketed.set(benchCase.name, bracket(before, await measure(baselineCase)));
    }
    printReport(cases, results, bracketed);
    events.report(results);
    await reportWebhookOutcomes(databaseUrl);
  } finally {
    await Promise.all(children.map(stop));
    await postgres.stop();
    removeEmbeddedPostgresData(dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Every webhook delivery sent must have been recorded once and applied (none stale or duplicate). */
async function reportWebhookOutcomes(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<{ outcome: string; count: string }>(
    "SELECT outcome, count(*) AS count FROM clerk_webhook_events GROUP BY outcome ORDER BY outcome",
  );
  await client.end();
  const counts = rows.map((row) => `${row.outcome}=${row.count}`).join(", ");
  console.log(`\nclerk_webhook_events by outcome: ${counts}`);
}

interface Bracket {
  /** The mean of the baseline's figures before and after the case. */
  baseline: LoadResult;
  /** Baseline req/s before and after: how much the machine drifted meanwhile. */
  drift: string;
}

function bracket(before: LoadResult, after: LoadResult): Bracket {
  const mean = (pick: (result: LoadResult) => number) => (pick(before) + pick(after)) / 2;
  return {
    baseline: {
      requestsPerSecond: mean((result) => result.requestsPerSecond),
      p50: mean((result) => result.p50),
      p99: mean((result) => result.p99),
      errors: 0,
      non2xx: 0,
    },
    drift: `${before.requestsPerSecond.toFixed(0)} -> ${after.requestsPerSecond.toFixed(0)}`,
  };
}

function printReport(cases: BenchCase[], results: Map<string, LoadResult>, bracketed: Map<string, Bracket>) {
  console.log(`\n50 connections, ${seconds} s per case after ${warmupSeconds} s warm-up\n`);
  console.log(
    "| case | req/s | p50 ms | p99 ms | req/s vs baseline | p50 vs baseline | baseline req/s before -> after |",
  );
  console.log("|---|---:|---:|---:|---:|---:|---:|");
  const baselines = new Set(cases.map((benchCase) => benchCase.baseline));
  for (const benchCase of cases) {
    const result = results.get(benchCase.name);
    const base = bracketed.get(benchCase.name)?.baseline;
    if (!result) continue;
    // Cases measured against a fixed floor instead (events cold) say so in their own report below.
    const none = baselines.has(benchCase.name) ? "1.00x (baseline)" : "-";
    const ratio = (a: number, b: number | undefined) => (b ? `${(a / b).toFixed(2)}x` : none);
    console.log(
      `| ${benchCase.name} | ${result.requestsPerSecond.toFixed(0)} | ${result.p50} | ${result.p99} | ` +
        `${ratio(result.requestsPerSecond, base?.requestsPerSecond)} | ${ratio(result.p50, base?.p50)} | ` +
        `${bracketed.get(benchCase.name)?.drift ?? "-"} |`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
