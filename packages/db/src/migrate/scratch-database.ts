// A throwaway database on the same server, for operations that must not depend on (or touch) the
// state of the database the connection string names.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { connectionConfig, withDatabase } from "./connection-config.js";

async function run(connectionString: string, sql: string): Promise<void> {
  const client = new pg.Client(connectionConfig(connectionString));
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function withScratchDatabase<T>(
  connectionString: string,
  operation: (url: string) => Promise<T>,
): Promise<T> {
  const name = `prisma_migrate_scratch_${randomUUID().replaceAll("-", "")}`;
  await run(connectionString, `CREATE DATABASE "${name}"`);
  try {
    return await operation(withDatabase(connectionString, name));
  } finally {
    await run(connectionString, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
}
