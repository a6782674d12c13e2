import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely } from 'kysely';
import { ImmediateSqliteDialect } from './immediate-sqlite-dialect.js';
import type { DailyBar } from '../report/daily-bar.js';
import { migrateToLatest } from './migrations.js';
import type { Database } from './schema.js';
import { SqlStore } from './sql-store.js';
import type { StoredCall } from '../report/track-record/call-store.js';
import { CALL_COLUMNS, callRow } from './sql-call-store.js';
import { SqliteChatStatements } from './sqlite-chat-statements.js';
import { barSeriesOf } from './sql-incremental-store.js';

/**
 * The shared SQL store, with bar ingestion written for better-sqlite3 directly: Kysely compiles and SQLite prepares a
 * fresh multi-row statement per chunk (~7 ms for 600 bars, most of a 1,000-ticker ingest); one cached statement run
 * per row in a transaction takes half as long.
 */
class SqliteStore extends SqlStore {
  private readonly writeCalls: (range: { tickers: string[]; from: string; to: string }, calls: readonly StoredCall[]) => void;
  private readonly writeBars: (ticker: string, bars: readonly DailyBar[], source: string, ingestedAt: string) => void;
  private readonly chat: SqliteChatStatements;

  constructor(db: Kysely<Database>, connection: BetterSqlite3.Database) {
    super(db, 'sqlite');
    const upsert = connection.prepare(
      `insert into daily_bars (ticker, date, open, high, low, close, volume, source, ingested_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (ticker, date) do update set open = excluded.open, high = excluded.high, low = excluded.low,
         close = excluded.close, volume = excluded.volume, source = excluded.source, ingested_at = excluded.ingested_at`,
    );
    const deleteCalls = connection.prepare(
      `delete from calls where origin = 'backtest' and ticker = ? and business_date >= ? and business_date <= ?`,
    );
    const insertCall = connection.prepare(`insert into calls (${CALL_COLUMNS.join(', ')}) values (${CALL_COLUMNS.map(() => '?').join(', ')})`);
    const writeCalls = connection.transaction((range: { tickers: string[]; from: string; to: string }, calls: readonly StoredCall[]) => {
      for (const ticker of range.tickers) deleteCalls.run(ticker, range.from, range.to);
      // Row by row: a replay's ~140,000 rows are never all held as parameter arrays at once.
      for (const call of calls) insertCall.run(callRow(call));
    });
    // `.immediate`: the write lock from the start, as for Kysely's transactions (see ImmediateSqliteDialect).
    this.writeCalls = (range, calls) => writeCalls.immediate(range, calls);
    const readSeries = connection.prepare(`select date, open, high, low, close, volume, source from daily_bars where ticker = ? order by date`);
    const writeSeries = connection.prepare(
      `insert into bar_series (ticker, bars, last_date, last_close, source, digest) values (?, ?, ?, ?, ?, ?)
       on conflict (ticker) do update set bars = excluded.bars, last_date = excluded.last_date, last_close = excluded.last_close,
         source = excluded.source, digest = excluded.digest`,
    );
    const writeBars = connection.transaction((ticker: string, bars: readonly DailyBar[], source: string, ingestedAt: string) => {
      for (const b of bars) upsert.run(ticker, b.date, b.open, b.high, b.low, b.close, b.volume, source, ingestedAt);
      // The series' digest in the same transaction as its bars (see `writeBarSeries`).
      const series = barSeriesOf(ticker, readSeries.all(ticker) as Parameters<typeof barSeriesOf>[1])!;
      writeSeries.run(ticker, series.bars, series.last_date, series.last_close, series.source, series.digest);
    });
    this.writeBars = (ticker, bars, source, ingestedAt) => writeBars.immediate(ticker, bars, source, ingestedAt);
    // Every chat message claims its event and reads its reader's subscription: cached statements, batched claims.
    const chat = (this.chat = new SqliteChatStatements(db, connection));
    this.getSubscriptionByAddress = (channel, address) => chat.getSubscriptionByAddress(channel, address);
  }

  override claimWebhookEvent(platform: 'line' | 'telegram', eventId: string, receivedAt: string): Promise<boolean> {
    return this.chat.claimWebhookEvent(platform, eventId, receivedAt);
  }

  override async replaceBacktestCalls(range: { tickers: string[]; from: string; to: string }, calls: StoredCall[]): Promise<void> {
    // A replay stores ~5 rows per decision: one cached statement per row is ~5x faster than Kysely's chunks here.
    await this.db.connection().execute(async () => this.writeCalls(range, calls));
  }

  override async upsertDailyBars(ticker: string, bars: DailyBar[], source: string): Promise<number> {
    if (bars.length === 0) return 0;
    const ingestedAt = new Date().toISOString();
    // Through Kysely's connection lock, so the raw transaction never interleaves with one of Kysely's.
    await this.db.connection().execute(async () => this.writeBars(ticker, bars, source, ingestedAt));
    return bars.length;
  }
}

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
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: connection }) });
  await migrateToLatest(db, 'sqlite');
  return new SqliteStore(db, connection);
}
