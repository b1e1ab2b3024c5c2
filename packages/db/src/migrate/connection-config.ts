// Splits a connection string into discrete pg fields. The shadow database must be reached with
// discrete fields: pg lets a connectionString override `database`, which would silently point the
// "shadow" connection at the main database.
import type pg from "pg";

export function connectionConfig(connectionString: string): pg.PoolConfig {
  const url = new URL(connectionString);
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    throw new Error(`not a PostgreSQL connection string (protocol ${url.protocol})`);
  }
  const params = url.searchParams;
  const config: pg.PoolConfig = {
    host: params.get("host") ?? (decodeURIComponent(url.hostname.replace(/^\[|\]$/g, "")) || "localhost"),
    port: url.port ? Number(url.port) : 5432,
    user: decodeURIComponent(url.username) || undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    database: decodeURIComponent(url.pathname.replace(/^\//, "")) || undefined,
    max: 4,
  };
  const sslmode = params.get("sslmode");
  if (sslmode === "require" || sslmode === "prefer" || sslmode === "no-verify")
    config.ssl = { rejectUnauthorized: false };
  else if (sslmode === "verify-ca" || sslmode === "verify-full") config.ssl = true;
  return config;
}

/** The Postgres schema named by Prisma's `?schema=` parameter, if any. */
export function schemaParam(connectionString: string): string | undefined {
  return new URL(connectionString).searchParams.get("schema") ?? undefined;
}

/** Same server and credentials, another database. */
export function withDatabase(connectionString: string, database: string): string {
  const url = new URL(connectionString);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}
