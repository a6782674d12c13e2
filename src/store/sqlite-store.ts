import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { migrateToLatest } from './migrations.js';
import type { Database } from './schema.js';
import { SqlStore } from './sql-store.js';

/** Opens (creating if needed) the embedded SQLite store at `path` (`:memory:` works too) and migrates it. */
export async function openSqliteStore(path: string): Promise<SqlStore> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const connection = new BetterSqlite3(path);
  // WAL lets `serve` read while a `precompute` in another process writes; busy_timeout makes that writer wait
  // instead of failing; mmap makes point reads of large report rows cheap (DESIGN §9).
  connection.pragma('journal_mode = WAL');
  connection.pragma('synchronous = NORMAL');
  connection.pragma('busy_timeout = 10000');
  connection.pragma('mmap_size = 268435456');
  connection.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: connection }) });
  await migrateToLatest(db, 'sqlite');
  return new SqlStore(db, 'sqlite');
}
