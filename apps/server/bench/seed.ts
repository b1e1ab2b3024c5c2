/**
 * Seeds bench users user_bench_<n> (bench<n>@example.com) in one INSERT ... SELECT over
 * generate_series: the rows are made inside PostgreSQL, so 1,000,000 take seconds, not a million
 * round trips. Adds only the numbers not seeded yet, so a run can grow the table from 10k to 1M.
 */
import pg from "pg";

export async function seedUsers(url: string, total: number): Promise<{ seconds: number; added: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const started = performance.now();
    const { rows } = await client.query<{ seeded: string }>(
      "SELECT count(*) AS seeded FROM users WHERE clerk_user_id LIKE 'user\\_bench\\_%'",
    );
    const from = Number(rows[0]?.seeded ?? 0) + 1;
    if (from > total) return { seconds: 0, added: 0 };
    await client.query(
      `INSERT INTO users (clerk_user_id, email, first_name, last_name, created_at, updated_at)
       SELECT 'user_bench_' || n, 'bench' || n || '@example.com', 'Bench', 'User ' || n, now(), now()
       FROM generate_series($1::int, $2::int) AS n`,
      [from, total],
    );
    // Fresh statistics, as autovacuum would eventually give them: the planner must know the table's size.
    await client.query("ANALYZE users");
    return { seconds: (performance.now() - started) / 1000, added: total - from + 1 };
  } finally {
    await client.end();
  }
}
