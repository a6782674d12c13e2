import type { Db } from './schema.js';
import type { LatestReportInputs } from './incremental-store.js';
import { replaceReportOnConflict } from './sql-store.js';
import type { StoredReport } from './store.js';

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
