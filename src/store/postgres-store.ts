import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { migrateToLatest } from './migrations.js';
import type { Database } from './schema.js';
import { SqlStore } from './sql-store.js';

export interface PostgresStoreOptions {
  /** Connections at most: the reference exhausted its database with one pool per worker and no bound. */
  poolSize: number;
  /** Keep the tables in this schema (created if missing) instead of `public`: one database, isolated tenants/tests. */
  schema?: string;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Opens the distributed-mode store on PostgreSQL and migrates it. Same SQL as SQLite, through `SqlStore`. */
export async function openPostgresStore(url: string, options: PostgresStoreOptions): Promise<SqlStore> {
  if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
    throw new Error(`invalid schema name ${JSON.stringify(options.schema)}`);
  }
  if (options.schema) {
    const client = new pg.Client({ connectionString: url });
    client.on('error', () => {}); // a failure of the query below is thrown by it
    await client.connect();
    try {
      await client.query(`create schema if not exists ${options.schema}`);
    } finally {
      await client.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize,
    // Lets an operator (and the pool-size test) see this store's connections in pg_stat_activity.
    application_name: `daybreak:${options.schema ?? 'public'}`,
    ...(options.schema && { options: `-c search_path=${options.schema}` }),
    // A server that went away without closing its sockets is noticed instead of waited on forever.
    keepAlive: true,
    connectionTimeoutMillis: 10_000,
  });
  // A restart or failover terminates every connection (57P01). An idle client's error is emitted on the pool, a
  // checked-out client's on the client itself; without listeners either would crash the process. The failure
  // reaches the caller through the query that was using the connection (and is retried there, see
  // `withOutageRetry`); the pool drops the broken client when it is released.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    await migrateToLatest(db, 'postgres', options.schema);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return new SqlStore(db, 'postgres');
}
