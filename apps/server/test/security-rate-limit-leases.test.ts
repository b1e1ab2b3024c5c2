// The per-user and per-address limits take their points from PostgreSQL a lease at a time
// (security/leased-limiter.ts). Two server processes (this one in-process, one spawned as
// `node dist/src/main.js`) on one database: together they never grant more than the limit, every
// granted call is paid for in the shared counter, and a call that needs less than a lease still gets
// exactly the points that are left.
import { createTestDatabase } from "@viewings/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clerkServerEnv } from "./support/clerk-instance.js";
import { type ServerProcess, spawnServer } from "./support/server-process.js";
import { startTestServer, type TestServer } from "./support/test-server.js";

// 300 points: a lease is 3 of them (1/100 of the limit).
const limits = { RATE_LIMIT_TRPC_USER: "300/600" };
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let first: TestServer;
let second: ServerProcess;
beforeAll(async () => {
  database = await createTestDatabase();
  first = await startTestServer(limits, { databaseUrl: database.url });
  // Same database and Clerk instance, its own process and leases.
  second = await spawnServer({
    NODE_ENV: "test",
    LOG_LEVEL: "info",
    DATABASE_URL: database.url,
    ...clerkServerEnv(first.clerk),
    ...limits,
  });
});
afterAll(async () => {
  second?.child.kill("SIGTERM");
  await Promise.all([first?.close(), second?.exited]);
  await database?.drop();
});

async function call(on: { url: string }, bearer: string, procedures = "users.me") {
  const response = await fetch(`${on.url}/trpc/${procedures}${procedures.includes(",") ? "?batch=1" : ""}`, {
    headers: { authorization: `Bearer ${bearer}` },
  });
  await response.arrayBuffer();
  return { status: response.status, retryAfter: response.headers.get("retry-after") };
}

async function pointsSpent(clerkUserId: string): Promise<number> {
  const rows = await first.db.$queryRawUnsafe<{ points: number }[]>(
    `SELECT points FROM rate_limits WHERE key = $1`,
    `trpc:user:${clerkUserId}`,
  );
  return rows[0]?.points ?? 0;
}

describe("per-user limit leased from the shared counter", () => {
  it("grants at most the limit across two instances under concurrent load, each call paid for", async () => {
    const user = "user_lease_race";
    const token = await first.clerk.sessionToken(user, { claims: { email: "lease.race@example.com" } });
    const answers: { status: number; retryAfter: string | null }[] = [];
    // 340 calls, 20 at a time, spread over both instances.
    for (let round = 0; round < 17; round++) {
      answers.push(
        ...(await Promise.all(
          Array.from({ length: 20 }, (_, index) => call(index % 2 ? first : second, token)),
        )),
      );
    }
    const granted = answers.filter((answer) => answer.status === 200).length;
    const refused = answers.filter((answer) => answer.status === 429);
    expect(granted + refused.length).toBe(340);
    // Each instance may still hold up to lease - 1 = 2 unused points when the window runs out.
    expect(granted).toBeLessThanOrEqual(300);
    expect(granted).toBeGreaterThanOrEqual(296);
    for (const answer of refused) expect(Number(answer.retryAfter)).toBeGreaterThan(500);
    expect(await pointsSpent(user)).toBeGreaterThanOrEqual(granted);
  });

  it("grants a call the exact points left when a whole lease no longer fits", async () => {
    const user = "user_lease_exact";
    const token = await first.clerk.sessionToken(user, { claims: { email: "lease.exact@example.com" } });
    // A batch of 4 takes 4 points; then 294 single calls use 98 whole leases of 3: 298 spent, none held.
    expect((await call(first, token, "users.me,users.me,users.me,users.me")).status).toBe(200);
    for (let index = 0; index < 294; index++) expect((await call(first, token)).status).toBe(200);
    expect(await pointsSpent(user)).toBe(298);
    // The other instance asks for a lease of 3 where 2 are left: each call hands back what it does
    // not need and is granted its own point, until none is left.
    expect((await call(second, token)).status).toBe(200);
    expect((await call(second, token)).status).toBe(200);
    expect(await pointsSpent(user)).toBe(300);
    expect((await call(second, token)).status).toBe(429);
    expect((await call(first, token)).status).toBe(429);
    // Refused from memory for the rest of the window: nothing more is written.
    const spent = await pointsSpent(user);
    expect((await call(second, token)).status).toBe(429);
    expect(await pointsSpent(user)).toBe(spent);
  });
});
