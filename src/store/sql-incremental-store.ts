import type { Kysely } from 'kysely';
import { barsDigest } from '../report/inputs-fingerprint.js';
import type { PeerComparison } from '../report/peers.js';
import type { BarSeries, LatestReportInputs } from './incremental-store.js';
import type { Database, Db } from './schema.js';
import { closeExecution, replaceReportOnConflict, toExecution, toJob } from './sql-store.js';
import type { ExecutionRecord, JobRecord, StoredHeadline, StoredReport } from './store.js';

const TICKER_CHUNK = 500;

/** `IncrementalStore` in Kysely, for every SQL database `SqlStore` runs on. */
export async function getLatestReportInputs(db: Db, ticker: string): Promise<LatestReportInputs | undefined> {
  return db
    .selectFrom('reports')
    .select(['ticker', 'business_date', 'execution_id', 'inputs_fingerprint', 'reused_from', 'narrative_fallback'])
    .where('ticker', '=', ticker)
    .orderBy('business_date', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function listLatestReportInputs(db: Db, tickers: string[]): Promise<Map<string, LatestReportInputs>> {
  const latest = new Map<string, LatestReportInputs>();
  for (let i = 0; i < tickers.length; i += TICKER_CHUNK) {
    // The (ticker, business_date) unique index answers both the per-ticker max and the row; no body is read.
    const rows = await db
      .selectFrom('reports as r')
      .innerJoin(
        (eb) =>
          eb
            .selectFrom('reports')
            .select(['ticker', (e) => e.fn.max('business_date').as('latest')])
            .where('ticker', 'in', tickers.slice(i, i + TICKER_CHUNK))
            .groupBy('ticker')
            .as('m'),
        (join) => join.onRef('m.ticker', '=', 'r.ticker').onRef('m.latest', '=', 'r.business_date'),
      )
      .select(['r.ticker', 'r.business_date', 'r.execution_id', 'r.inputs_fingerprint', 'r.reused_from', 'r.narrative_fallback'])
      .execute();
    for (const r of rows) latest.set(r.ticker, r);
  }
  return latest;
}

/** The summary row of a bar series (ascending dates, as read for `barsDigest`); undefined for no bars. */
export function barSeriesOf(
  ticker: string,
  rows: readonly { date: string; open: number; high: number; low: number; close: number; volume: number; source: string }[],
): BarSeries | undefined {
  const last = rows.at(-1);
  if (!last) return undefined;
  const bars = rows.map((r) => ({ date: r.date, open: Number(r.open), high: Number(r.high), low: Number(r.low), close: Number(r.close), volume: Number(r.volume) }));
  return { ticker, bars: rows.length, last_date: last.date, last_close: Number(last.close), source: last.source, digest: barsDigest(bars) };
}

/**
 * Takes the row lock of the ticker's `bar_series` row (creating a placeholder that `writeBarSeries` replaces in the
 * same transaction): on PostgreSQL, a second writer of the same ticker's bars waits for the first to commit, so it
 * reads every committed bar before writing the digest. (SQLite writers are one at a time anyway.)
 */
export async function lockBarSeries(db: Db, ticker: string): Promise<void> {
  await db
    .insertInto('bar_series')
    .values({ ticker, bars: 0, last_date: '', last_close: 0, source: '', digest: '' })
    .onConflict((oc) => oc.column('ticker').doUpdateSet((eb) => ({ bars: eb.ref('bar_series.bars') })))
    .execute();
}

/** Rewrites the ticker's `bar_series` row from its stored bars; called inside the transaction that wrote them. */
export async function writeBarSeries(db: Kysely<Database> | Kysely<any>, ticker: string): Promise<void> {
  const rows = await (db as Db)
    .selectFrom('daily_bars')
    .select(['date', 'open', 'high', 'low', 'close', 'volume', 'source'])
    .where('ticker', '=', ticker)
    .orderBy('date')
    .execute();
  const series = barSeriesOf(ticker, rows);
  if (!series) {
    await (db as Db).deleteFrom('bar_series').where('ticker', '=', ticker).execute();
    return;
  }
  await (db as Db)
    .insertInto('bar_series')
    .values(series)
    .onConflict((oc) =>
      oc.column('ticker').doUpdateSet((eb) => ({
        bars: eb.ref('excluded.bars'),
        last_date: eb.ref('excluded.last_date'),
        last_close: eb.ref('excluded.last_close'),
        source: eb.ref('excluded.source'),
        digest: eb.ref('excluded.digest'),
      })),
    )
    .execute();
}

export async function getBarSeries(db: Db, tickers: string[]): Promise<Map<string, BarSeries>> {
  const series = new Map<string, BarSeries>();
  for (let i = 0; i < tickers.length; i += TICKER_CHUNK) {
    const rows = await db.selectFrom('bar_series').selectAll().where('ticker', 'in', tickers.slice(i, i + TICKER_CHUNK)).execute();
    for (const r of rows) series.set(r.ticker, { ...r, bars: Number(r.bars), last_close: Number(r.last_close) });
  }
  return series;
}

export async function getNewsOf(db: Db, tickers: string[], sinceIso: string, untilIso: string, limit: number): Promise<Map<string, StoredHeadline[]>> {
  const news = new Map<string, StoredHeadline[]>();
  for (let i = 0; i < tickers.length; i += TICKER_CHUNK) {
    const rows = await db
      .selectFrom('news_items')
      .select(['ticker', 'title', 'published_at', 'site', 'url', 'text', 'source'])
      .where('ticker', 'in', tickers.slice(i, i + TICKER_CHUNK))
      .where('published_at', '>=', sinceIso)
      .where('published_at', '<=', untilIso)
      .orderBy('ticker')
      .orderBy('published_at', 'desc')
      .execute();
    for (const { ticker, ...headline } of rows) {
      let list = news.get(ticker);
      if (!list) news.set(ticker, (list = []));
      if (list.length < limit) list.push(headline);
    }
  }
  return news;
}

export async function getPeerSets(db: Db, executionId: string): Promise<Map<string, PeerComparison>> {
  const rows = await db.selectFrom('peer_sets').select(['ticker', 'body']).where('execution_id', '=', executionId).execute();
  return new Map(rows.map((r) => [r.ticker, JSON.parse(r.body) as PeerComparison]));
}

export async function savePeerSetInputs(db: Db, executionId: string, digest: string): Promise<void> {
  await db
    .insertInto('peer_set_inputs')
    .values({ execution_id: executionId, digest })
    .onConflict((oc) => oc.column('execution_id').doUpdateSet({ digest }))
    .execute();
}

export async function copyPeerSets(db: Db, digest: string, toExecutionId: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const from = await trx
      .selectFrom('peer_set_inputs')
      .select('execution_id')
      .where('digest', '=', digest)
      .where('execution_id', '!=', toExecutionId)
      .orderBy('execution_id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!from) return false;
    const copied = await trx
      .insertInto('peer_sets')
      .columns(['execution_id', 'ticker', 'body'])
      .expression((eb) =>
        eb
          .selectFrom('peer_sets')
          .select((s) => [s.val(toExecutionId).as('execution_id'), 'ticker', 'body'])
          .where('execution_id', '=', from.execution_id),
      )
      .onConflict((oc) => oc.columns(['execution_id', 'ticker']).doUpdateSet((eb) => ({ body: eb.ref('excluded.body') })))
      .executeTakeFirst();
    // An execution's peer sets are written whole, in one transaction: some rows means all of them.
    if (Number(copied.numInsertedOrUpdatedRows ?? 0) === 0) return false;
    await savePeerSetInputs(trx, toExecutionId, digest);
    return true;
  });
}

export async function finishReusedJobs(
  db: Db,
  executionId: string,
  reused: { ticker: string; reused_from: string }[],
  at: string,
): Promise<{ execution: ExecutionRecord; jobs: JobRecord[] } | undefined> {
  if (reused.length === 0) return undefined;
  return db.transaction().execute(async (trx) => {
    // One statement per execution the reports come from (usually one), not one per job.
    const byOrigin = new Map<string, string[]>();
    for (const r of reused) byOrigin.set(r.reused_from, [...(byOrigin.get(r.reused_from) ?? []), r.ticker]);
    const jobs: JobRecord[] = [];
    for (const [origin, tickers] of byOrigin) {
      for (let i = 0; i < tickers.length; i += TICKER_CHUNK) {
        const rows = await trx
          .updateTable('jobs')
          .set((eb) => ({ status: 'completed', attempts: eb('attempts', '+', 1), started_at: at, finished_at: at, duration_ms: 0, reused_from: origin }))
          .where('execution_id', '=', executionId)
          .where('ticker', 'in', tickers.slice(i, i + TICKER_CHUNK))
          .where('status', '=', 'pending')
          .returningAll()
          .execute();
        jobs.push(...rows.map(toJob));
      }
    }
    const execution = await trx
      .updateTable('executions')
      .set((eb) => ({ completed: eb('completed', '+', jobs.length), reused: eb('reused', '+', jobs.length) }))
      .where('execution_id', '=', executionId)
      .returningAll()
      .executeTakeFirstOrThrow();
    const done = execution.status === 'running' && execution.completed + execution.failed >= execution.total;
    return { execution: done ? await closeExecution(trx, execution, at) : toExecution(execution), jobs };
  });
}

export async function carryReportForward(db: Db, report: StoredReport, fromBusinessDate: string): Promise<void> {
  // INSERT … SELECT: the chart bytes never leave the database. The WHERE also lets SQLite parse the upsert clause.
  await db
    .insertInto('reports')
    .columns([
      'ticker',
      'business_date',
      'as_of',
      'execution_id',
      'generated_at',
      'data_source',
      'body',
      'chart_png',
      'inputs_fingerprint',
      'reused_from',
      'narrative_fallback',
    ])
    .expression((eb) =>
      eb
        .selectFrom('reports')
        .select((s) => [
          s.val(report.ticker).as('ticker'),
          s.val(report.business_date).as('business_date'),
          s.val(report.as_of).as('as_of'),
          s.val(report.execution_id).as('execution_id'),
          s.val(report.generated_at).as('generated_at'),
          s.val(report.data_source).as('data_source'),
          s.val(report.body).as('body'),
          'chart_png',
          s.val(report.inputs_fingerprint ?? null).as('inputs_fingerprint'),
          s.val(report.reused_from ?? null).as('reused_from'),
          s.val(report.narrative_fallback ?? null).as('narrative_fallback'),
        ])
        .where('ticker', '=', report.ticker)
        .where('business_date', '=', fromBusinessDate),
    )
    .onConflict(replaceReportOnConflict)
    .execute();
}

export async function llmSpentOn(db: Db, businessDate: string): Promise<number> {
  const row = await db
    .selectFrom('executions')
    .select((eb) => eb.fn.sum<number | string | null>('cost_usd').as('spent'))
    .where('business_date', '=', businessDate)
    .executeTakeFirst();
  return Number(row?.spent ?? 0);
}
