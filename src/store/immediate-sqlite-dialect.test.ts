import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { ImmediateSqliteDialect } from './immediate-sqlite-dialect.js';

const open: { close(): unknown }[] = [];
afterEach(() => {
  for (const handle of open.splice(0)) handle.close();
});

/** A second process's view of the file: its own connection, and no busy wait (it fails at once when locked). */
function otherWriter(path: string): BetterSqlite3.Database {
  const other = new BetterSqlite3(path);
  other.pragma('busy_timeout = 0');
  open.push(other);
  return other;
}

describe('ImmediateSqliteDialect', () => {
  it('takes the write lock when a transaction begins, so a read-then-write transaction is never refused half-way', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'daybreak-immediate-')), 'd.db');
    const connection = new BetterSqlite3(path);
    connection.pragma('journal_mode = WAL');
    connection.exec('create table t (n integer)');
    const db = new Kysely<{ t: { n: number } }>({ dialect: new ImmediateSqliteDialect({ database: connection }) });
    open.push({ close: () => void db.destroy() });
    const other = otherWriter(path);

    let otherWrite: unknown;
    await db.transaction().execute(async (trx) => {
      await sql`select count(*) from t`.execute(trx);
      // Another process writing now is told the database is locked (with a busy timeout it would wait for us)...
      try {
        other.exec('insert into t values (1)');
      } catch (error) {
        otherWrite = error;
      }
      // ...and our write after the read goes through (begun deferred, this insert would be the one refused).
      await trx.insertInto('t').values({ n: 2 }).execute();
    });
    expect(otherWrite).toMatchObject({ code: 'SQLITE_BUSY' });
    expect(connection.prepare('select n from t').pluck().all()).toEqual([2]);
  });
});
