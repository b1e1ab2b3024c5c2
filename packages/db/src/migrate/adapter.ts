// A migration-aware driver adapter for the schema engine, built on @prisma/adapter-pg 7.10 with its
// defects worked around:
// - Postgres' internal "char" type (oid 18, e.g. pg_constraint.contype) is rejected by adapter-pg's
//   type mapping; it is reported as ColumnType Character instead.
// - connectToShadowDb() would reach the main database when configured with a connection string and
//   leaks a pool; here the shadow database is created and dropped by us, reached with discrete fields.
// - executeScript() splits on ";" (breaks $$ bodies, half-applies files); the whole script is sent as
//   one simple-protocol query instead.
import { randomUUID } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  ColumnTypeEnum,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
  type SqlResultSet,
  type Transaction,
} from "@prisma/driver-adapter-utils";
import pg from "pg";

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

/** Result rows (by identity) whose columns at the given indexes were Postgres "char". */
const charColumns = new WeakMap<object, number[]>();

interface RawResult {
  fields?: { dataTypeID: number }[];
  rows?: unknown[];
}

function markCharColumns(result: unknown): void {
  for (const one of Array.isArray(result) ? result : [result]) {
    const { fields, rows } = (one ?? {}) as RawResult;
    if (!fields || !rows) continue;
    const indexes: number[] = [];
    fields.forEach((field, i) => {
      if (field.dataTypeID === PG_CHAR_OID) {
        field.dataTypeID = PG_TEXT_OID; // values are already parsed as strings
        indexes.push(i);
      }
    });
    if (indexes.length > 0) charColumns.set(rows, indexes);
  }
}

/** Wraps client.query so results with "char" columns get past adapter-pg's type mapping. */
function patchClient(client: pg.PoolClient): void {
  const original = client.query.bind(client) as (...args: unknown[]) => unknown;
  const patched = (...args: unknown[]): unknown => {
    const callbackIndex = args.findIndex((arg) => typeof arg === "function");
    if (callbackIndex >= 0) {
      const callback = args[callbackIndex] as (error: unknown, result: unknown) => void;
      args[callbackIndex] = (error: unknown, result: unknown) => {
        if (!error) markCharColumns(result);
        callback(error, result);
      };
      return original(...args);
    }
    const returned = original(...args);
    if (returned instanceof Promise) {
      return returned.then((result: unknown) => {
        markCharColumns(result);
        return result;
      });
    }
    return returned;
  };
  client.query = patched as typeof client.query;
}

function restoreCharTypes(result: SqlResultSet): SqlResultSet {
  const indexes = charColumns.get(result.rows);
  if (indexes) for (const i of indexes) result.columnTypes[i] = ColumnTypeEnum.Character;
  return result;
}

function fixTransaction(tx: Transaction): Transaction {
  const queryRaw = tx.queryRaw.bind(tx);
  tx.queryRaw = async (query: SqlQuery) => restoreCharTypes(await queryRaw(query));
  return tx;
}

async function openAdapter(config: pg.PoolConfig, schema: string | undefined): Promise<SqlDriverAdapter> {
  const pool = new pg.Pool(config);
  pool.on("connect", patchClient);
  const adapter = await new PrismaPg(pool, {
    disposeExternalPool: true,
    ...(schema ? { schema } : {}),
  }).connect();
  const queryRaw = adapter.queryRaw.bind(adapter);
  adapter.queryRaw = async (query: SqlQuery) => restoreCharTypes(await queryRaw(query));
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (isolationLevel) => fixTransaction(await startTransaction(isolationLevel));
  adapter.executeScript = async (script: string) => {
    await adapter.executeRaw({ sql: script, args: [], argTypes: [] });
  };
  let disposed = false;
  const dispose = adapter.dispose.bind(adapter);
  adapter.dispose = async () => {
    if (disposed) return;
    disposed = true;
    await dispose();
  };
  return adapter;
}

async function adminQuery(config: pg.PoolConfig, sql: string): Promise<void> {
  const client = new pg.Client(config);
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface MigrationAdapterFactory extends SqlMigrationAwareDriverAdapterFactory {
  /** Disposes every connection still open and drops leftover shadow databases. */
  close(): Promise<void>;
}

export function createMigrationAdapterFactory(
  config: pg.PoolConfig,
  schema?: string,
): MigrationAdapterFactory {
  const open = new Set<SqlDriverAdapter>();
  const shadows = new Set<string>();

  const dropShadow = async (name: string) => {
    if (!shadows.delete(name)) return;
    await adminQuery(config, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  };

  return {
    provider: "postgres",
    adapterName: "@prisma/adapter-pg",
    async connect() {
      const adapter = await openAdapter(config, schema);
      open.add(adapter);
      return adapter;
    },
    async connectToShadowDb() {
      const name = `prisma_migrate_shadow_db_${randomUUID()}`;
      await adminQuery(config, `CREATE DATABASE "${name}"`);
      shadows.add(name);
      const adapter = await openAdapter({ ...config, database: name }, schema);
      open.add(adapter);
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        open.delete(adapter);
        await dispose();
        await dropShadow(name);
      };
      return adapter;
    },
    async close() {
      await Promise.allSettled([...open].map((adapter) => adapter.dispose()));
      open.clear();
      await Promise.allSettled([...shadows].map(dropShadow));
    },
  };
}
