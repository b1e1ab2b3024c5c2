import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/prisma/client.js";

export type Database = InstanceType<typeof PrismaClient>;

export interface DatabaseOptions {
  /** Upper bound of pooled connections held by this process. */
  poolSize?: number;
  /**
   * How long a query waits for a connection before failing. During an outage requests fail within
   * this bound (and are answered 503) instead of queueing until the caller gives up.
   */
  connectTimeoutMs?: number;
}

/** Connections in the pool: open, idle, and requests waiting for one (for /metrics). */
export interface PoolState {
  total: number;
  idle: number;
  waiting: number;
}

const pools = new WeakMap<Database, pg.Pool>();

export function createDatabase(connectionString: string, options: DatabaseOptions = {}): Database {
  // Our own pool (instead of the adapter's) so its state can be observed. A connection that breaks is
  // discarded by pg and a new one is opened on the next query, so the pool recovers from an outage
  // without a restart.
  const pool = new pg.Pool({
    connectionString,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
  });
  const db = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  pools.set(db, pool);
  return db;
}

export function poolState(db: Database): PoolState | undefined {
  const pool = pools.get(db);
  return pool && { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
}
