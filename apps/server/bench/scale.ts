/**
 * `pnpm bench:scale`: users.me and the Clerk webhook at 10,000 users, then at 1,000,000 (the same
 * database grown by seed.ts), each BENCH_RUNS times (default 1) for BENCH_SECONDS (default 10) after
 * a warm-up. The goal: p99 at 1M within 10% of the figure at 10k. Webhook deliveries spread over every
 * seeded user, so at 1M most of them touch a row (and index pages) no earlier request read.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { removeEmbeddedPostgresData, startEmbeddedPostgres } from "@viewings/db/embedded";
import { applyMigrations } from "@viewings/db/migrate";
import { createBenchClerk } from "./clerk.js";
import { type LoadResult, runLoad } from "./load.js";
import { stop } from "./processes.js";
import { seedUsers } from "./seed.js";
import { forkServer } from "./server-process.js";
import { runSignedWebhookLoad } from "./signed-webhook-load.js";

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
// Under 5 s the first case still pays start-up costs (JIT, pool connections): p99 in seconds.
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
const runs = Number(process.env.BENCH_RUNS ?? 1);
const sizes = [
  Number(process.env.BENCH_SMALL_USERS ?? 10_000),
  Number(process.env.BENCH_LARGE_USERS ?? 1_000_000),
];

interface Row {
  users: number;
  name: string;
  results: LoadResult[];
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), "viewings-bench-scale-"));
  const postgres = await startEmbeddedPostgres({ dataDir });
  let server: Awaited<ReturnType<typeof forkServer>> | undefined;
  try {
    const databaseUrl = postgres.url();
    await applyMigrations(databaseUrl);
    const clerk = await createBenchClerk();
    const secret = `whsec_${randomBytes(24).toString("base64")}`;
    server = await forkServer({
      ...clerk.serverEnv,
      DATABASE_URL: databaseUrl,
      CLERK_WEBHOOK_SECRET: secret,
      TOKEN_ENCRYPTION_KEYS: `bench:${randomBytes(32).toString("base64")}`,
    });
    const url = server.url;
    const rows: Row[] = [];
    for (const users of sizes) {
      const seeded = await seedUsers(databaseUrl, users);
      console.log(`seeded ${seeded.added} users in ${seeded.seconds.toFixed(1)} s (now ${users})`);
      // A user in the middle of the table, as any signed-in user would be.
      const token = await clerk.sessionToken(`user_bench_${Math.ceil(users / 2)}`);
      const me = { url: `${url}/trpc/users.me`, headers: { authorization: `Bearer ${token}` } };
      const cases: [string, (duration: number) => Promise<LoadResult>][] = [
        ["users.me", (duration) => runLoad(me, duration)],
        ["POST /webhooks/clerk", (duration) => runSignedWebhookLoad({ url, secret, users }, duration)],
      ];
      for (const [name, drive] of cases) {
        await drive(warmupSeconds);
        const results: LoadResult[] = [];
        for (let run = 0; run < runs; run++) results.push(await drive(seconds));
        rows.push({ users, name, results });
      }
    }
    report(rows);
  } finally {
    if (server) await stop(server.child);
    await postgres.stop();
    removeEmbeddedPostgresData(dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function report(rows: Row[]) {
  console.log(`\n50 connections, ${seconds} s per run after ${warmupSeconds} s warm-up, ${runs} run(s)\n`);
  console.log("| case | users | req/s | p50 ms | p99 ms | non-2xx | p99 vs smallest table |");
  console.log("|---|---:|---:|---:|---:|---:|---:|");
  for (const row of rows) {
    const small = rows.find((candidate) => candidate.name === row.name);
    row.results.forEach((result, run) => {
      const reference = small?.results[run]?.p99;
      const ratio = reference ? `${(result.p99 / reference).toFixed(2)}x` : "-";
      console.log(
        `| ${row.name} | ${row.users} | ${result.requestsPerSecond.toFixed(0)} | ${result.p50} | ${result.p99} | ` +
          `${result.non2xx + result.errors} | ${ratio} |`,
      );
    });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
