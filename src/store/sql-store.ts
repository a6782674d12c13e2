import type { OnConflictBuilder, Selectable, Transaction } from 'kysely';
import type { DailyBar } from '../report/daily-bar.js';
import type { PeerComparison } from '../report/peers.js';
import type { CompanyInfo } from '../sources/company-info.js';
import type { Headline } from '../sources/news-source.js';
import type { Ticker } from '../registry/ticker.js';
import type { CallFilter, CallKey, StoredCall } from '../report/track-record/call-store.js';
import type { CallGrades } from '../report/track-record/grade-calls.js';
import type { BarSeries, LatestReportInputs } from './incremental-store.js';
import * as incremental from './sql-incremental-store.js';
import { type Database, type Db, type ExecutionsTable, type JobsTable, REPORT_COLUMNS } from './schema.js';
import { SqlCallStore } from './sql-call-store.js';
import { SqlSubscriptionStore } from './sql-subscription-store.js';
import { getLatestCompanyInfo, upsertCompanyInfo } from './company-info-sql.js';
import type { StoredCompanyInfo } from './company-info-store.js';
import { WebhookEventSql } from './webhook-event-sql.js';
import type {
  ExecutionRecord,
  ExecutionStatus,
  JobOutcome,
  JobRecord,
  NewExecution,
  ReportVersion,
  Store,
  StoredBars,
  StoredHeadline,
  StoredReport,
} from './store.js';

const BAR_CHUNK_ROWS = 500;

/**
 * The store written once in Kysely for every SQL database we run on; the adapters (`openSqliteStore`, and the
 * PostgreSQL one) only open the connection, set it up and migrate. Writes come before reads inside transactions so
 * that SQLite takes its write lock at the first statement instead of failing to upgrade a read lock.
 */
export class SqlStore implements Store {
  constructor(
    readonly db: Db,
    readonly kind: string,
    private readonly onClose: () => Promise<void> = () => db.destroy(),
  ) {}

  close(): Promise<void> {
    return this.onClose();
  }

  async upsertTickers(tickers: Ticker[]): Promise<void> {
    if (tickers.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < tickers.length; i += BAR_CHUNK_ROWS) {
        await trx
          .insertInto('tickers')
          .values(
            tickers.slice(i, i + BAR_CHUNK_ROWS).map((t) => ({
              symbol: t.symbol,
              yahoo_symbol: t.yahooSymbol,
              name: t.name,
              exchange: t.exchange,
              currency: t.currency,
              sector: t.sector,
              type: t.type,
              active: t.active ? 1 : 0,
            })),
          )
          .onConflict((oc) =>
            oc.column('symbol').doUpdateSet((eb) => ({
              yahoo_symbol: eb.ref('excluded.yahoo_symbol'),
              name: eb.ref('excluded.name'),
              exchange: eb.ref('excluded.exchange'),
              currency: eb.ref('excluded.currency'),
              sector: eb.ref('excluded.sector'),
              type: eb.ref('excluded.type'),
              active: eb.ref('excluded.active'),
            })),
          )
          .execute();
      }
    });
  }

  async listTickers(): Promise<Ticker[]> {
    const rows = await this.db.selectFrom('tickers').selectAll().orderBy('symbol').execute();
    return rows.map((r) => ({
      symbol: r.symbol,
      yahooSymbol: r.yahoo_symbol,
      name: r.name,
      exchange: r.exchange,
      currency: r.currency,
      sector: r.sector,
      type: r.type === 'etf' ? 'etf' : 'stock',
      active: Number(r.active) === 1,
    }));
  }

  async upsertDailyBars(ticker: string, bars: DailyBar[], source: string): Promise<number> {
    if (bars.length === 0) return 0;
    const ingestedAt = new Date().toISOString();
    await this.db.transaction().execute(async (trx) => {
      // Two writers of one ticker's bars take turns, so the digest written last is of every bar committed.
      await incremental.lockBarSeries(trx, ticker);
      for (let i = 0; i < bars.length; i += BAR_CHUNK_ROWS) {
        await trx
          .insertInto('daily_bars')
          .values(
            bars.slice(i, i + BAR_CHUNK_ROWS).map((b) => ({
              ticker,
              date: b.date,
              open: b.open,
              high: b.high,
              low: b.low,
              close: b.close,
              volume: b.volume,
              source,
              ingested_at: ingestedAt,
            })),
          )
          .onConflict((oc) =>
            oc.columns(['ticker', 'date']).doUpdateSet((eb) => ({
              open: eb.ref('excluded.open'),
              high: eb.ref('excluded.high'),
              low: eb.ref('excluded.low'),
              close: eb.ref('excluded.close'),
              volume: eb.ref('excluded.volume'),
              source: eb.ref('excluded.source'),
              ingested_at: eb.ref('excluded.ingested_at'),
            })),
          )
          .execute();
      }
      await incremental.writeBarSeries(trx, ticker);
    });
    return bars.length;
  }

  async getDailyBars(ticker: string, limit: number): Promise<StoredBars | undefined> {
    const rows = await this.db
      .selectFrom('daily_bars')
      .select(['date', 'open', 'high', 'low', 'close', 'volume', 'source'])
      .where('ticker', '=', ticker)
      .orderBy('date', 'desc')
      .limit(limit)
      .execute();
    if (rows.length === 0) return undefined;
    const source = rows[0]!.source;
    const bars: DailyBar[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[rows.length - 1 - i]!;
      bars[i] = {
        date: r.date,
        open: Number(r.open),
        high: Number(r.high),
        low: Number(r.low),
        close: Number(r.close),
        volume: Number(r.volume),
      };
    }
    return { bars, source };
  }

  async countDailyBars(tickers: string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    if (tickers.length === 0) return counts;
    const rows = await this.db
      .selectFrom('daily_bars')
      .select(['ticker', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('ticker', 'in', tickers)
      .groupBy('ticker')
      .execute();
    for (const r of rows) counts.set(r.ticker, Number(r.n));
    return counts;
  }

  async getClosesSince(tickers: string[], sinceDate: string): Promise<Map<string, { date: string; close: number }[]>> {
    const closes = new Map<string, { date: string; close: number }[]>();
    for (let i = 0; i < tickers.length; i += BAR_CHUNK_ROWS) {
      const rows = await this.db
        .selectFrom('daily_bars')
        .select(['ticker', 'date', 'close'])
        .where('ticker', 'in', tickers.slice(i, i + BAR_CHUNK_ROWS))
        .where('date', '>=', sinceDate)
        .orderBy('ticker')
        .orderBy('date')
        .execute();
      for (const r of rows) {
        let series = closes.get(r.ticker);
        if (!series) closes.set(r.ticker, (series = []));
        series.push({ date: r.date, close: Number(r.close) });
      }
    }
    return closes;
  }

  async upsertNews(ticker: string, headlines: Headline[], source: string): Promise<number> {
    if (headlines.length === 0) return 0;
    const ingestedAt = new Date().toISOString();
    // One row per URL: a later fetch of the same story replaces it.
    const byUrl = new Map(headlines.map((h) => [h.url, h]));
    await this.db.transaction().execute(async (trx) => {
      const rows = [...byUrl.values()];
      for (let i = 0; i < rows.length; i += BAR_CHUNK_ROWS) {
        await trx
          .insertInto('news_items')
          .values(
            rows.slice(i, i + BAR_CHUNK_ROWS).map((h) => ({
              ticker,
              url: h.url,
              published_at: h.published_at,
              title: h.title,
              site: h.site,
              text: h.text,
              source,
              ingested_at: ingestedAt,
            })),
          )
          .onConflict((oc) =>
            oc.columns(['ticker', 'url']).doUpdateSet((eb) => ({
              published_at: eb.ref('excluded.published_at'),
              title: eb.ref('excluded.title'),
              site: eb.ref('excluded.site'),
              text: eb.ref('excluded.text'),
              source: eb.ref('excluded.source'),
              ingested_at: eb.ref('excluded.ingested_at'),
            })),
          )
          .execute();
      }
    });
    return byUrl.size;
  }

  async getNews(ticker: string, sinceIso: string, untilIso: string, limit: number): Promise<StoredHeadline[]> {
    return this.db
      .selectFrom('news_items')
      .select(['title', 'published_at', 'site', 'url', 'text', 'source'])
      .where('ticker', '=', ticker)
      .where('published_at', '>=', sinceIso)
      .where('published_at', '<=', untilIso)
      .orderBy('published_at', 'desc')
      .limit(limit)
      .execute();
  }

  async savePeerSets(executionId: string, peers: Map<string, PeerComparison>): Promise<void> {
    const rows = [...peers].map(([ticker, comparison]) => ({ execution_id: executionId, ticker, body: JSON.stringify(comparison) }));
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += BAR_CHUNK_ROWS) {
        await trx
          .insertInto('peer_sets')
          .values(rows.slice(i, i + BAR_CHUNK_ROWS))
          .onConflict((oc) => oc.columns(['execution_id', 'ticker']).doUpdateSet((eb) => ({ body: eb.ref('excluded.body') })))
          .execute();
      }
    });
  }

  async saveLlmUsage(executionId: string, owner: string, usage: unknown): Promise<void> {
    await this.db
      .insertInto('execution_llm_usage')
      .values({ execution_id: executionId, owner, body: JSON.stringify(usage) })
      .onConflict((oc) => oc.columns(['execution_id', 'owner']).doUpdateSet((eb) => ({ body: eb.ref('excluded.body') })))
      .execute();
  }

  async listLlmUsage(executionId: string): Promise<unknown[]> {
    const rows = await this.db
      .selectFrom('execution_llm_usage')
      .select('body')
      .where('execution_id', '=', executionId)
      .orderBy('owner')
      .execute();
    return rows.map((r) => JSON.parse(r.body) as unknown);
  }

  async getPeerSet(executionId: string, ticker: string): Promise<PeerComparison | undefined> {
    const row = await this.db
      .selectFrom('peer_sets')
      .select('body')
      .where('execution_id', '=', executionId)
      .where('ticker', '=', ticker)
      .executeTakeFirst();
    return row && (JSON.parse(row.body) as PeerComparison);
  }

  async createExecution(e: NewExecution): Promise<boolean> {
    const expiresAt = new Date(Date.parse(e.started_at) + e.job_ttl_ms).toISOString();
    try {
      await this.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('executions')
          .values({
            execution_id: e.execution_id,
            status: 'running',
            source: e.source,
            requested: JSON.stringify(e.requested),
            business_date: e.business_date,
            total: e.tickers.length,
            completed: 0,
            failed: 0,
            started_at: e.started_at,
            finished_at: null,
            deadline_at: e.deadline_at,
            duration_ms: null,
            slowest_job_ms: null,
            cost_usd: 0,
            owner: e.owner,
            heartbeat_at: e.started_at,
            fanned_out_at: null,
          })
          .execute();
        for (let i = 0; i < e.tickers.length; i += BAR_CHUNK_ROWS) {
          await trx
            .insertInto('jobs')
            .values(
              e.tickers.slice(i, i + BAR_CHUNK_ROWS).map((ticker) => ({
                job_id: jobIdFor(ticker, e.execution_id),
                execution_id: e.execution_id,
                ticker,
                source: e.source,
                status: 'pending',
                attempts: 0,
                error: null,
                created_at: e.started_at,
                started_at: null,
                finished_at: null,
                duration_ms: null,
                expires_at: expiresAt,
              })),
            )
            .execute();
        }
      });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async getExecution(executionId: string): Promise<ExecutionRecord | undefined> {
    const row = await this.db
      .selectFrom('executions')
      .selectAll()
      .where('execution_id', '=', executionId)
      .executeTakeFirst();
    return row && toExecution(row);
  }

  async listExecutions({ limit, status }: { limit: number; status?: ExecutionStatus }): Promise<ExecutionRecord[]> {
    let query = this.db.selectFrom('executions').selectAll();
    if (status) query = query.where('status', '=', status);
    const rows = await query
      .orderBy('started_at', 'desc')
      .orderBy('execution_id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toExecution);
  }

  async listJobs(executionId: string): Promise<JobRecord[]> {
    const rows = await this.db
      .selectFrom('jobs')
      .selectAll()
      .where('execution_id', '=', executionId)
      .orderBy('ticker')
      .execute();
    return rows.map(toJob);
  }

  async getJob(jobId: string): Promise<JobRecord | undefined> {
    const row = await this.db.selectFrom('jobs').selectAll().where('job_id', '=', jobId).executeTakeFirst();
    return row && toJob(row);
  }

  async heartbeat(executionId: string, at: string): Promise<void> {
    await this.db
      .updateTable('executions')
      .set({ heartbeat_at: at })
      .where('execution_id', '=', executionId)
      .where('status', '=', 'running')
      .execute();
  }

  async startJob(jobId: string, at: string): Promise<JobRecord | undefined> {
    const row = await this.db
      .updateTable('jobs')
      .set((eb) => ({ status: 'in_progress', attempts: eb('attempts', '+', 1), started_at: at }))
      .where('job_id', '=', jobId)
      .where('status', 'in', ['pending', 'in_progress'])
      .returningAll()
      .executeTakeFirst();
    return row && toJob(row);
  }

  async releaseJob(jobId: string, error: string): Promise<void> {
    await this.db
      .updateTable('jobs')
      .set({ status: 'pending', error })
      .where('job_id', '=', jobId)
      .where('status', '=', 'in_progress')
      .execute();
  }

  async finishJob(jobId: string, outcome: JobOutcome): Promise<ExecutionRecord | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const job = await trx
        .updateTable('jobs')
        .set({ status: outcome.status, error: outcome.error ?? null, finished_at: outcome.finished_at, reused_from: outcome.reused_from ?? null })
        .where('job_id', '=', jobId)
        .where('status', 'in', ['pending', 'in_progress'])
        .returning(['execution_id', 'started_at'])
        .executeTakeFirst();
      if (!job) return undefined;
      if (job.started_at) {
        await trx
          .updateTable('jobs')
          .set({ duration_ms: Date.parse(outcome.finished_at) - Date.parse(job.started_at) })
          .where('job_id', '=', jobId)
          .execute();
      }
      const counter = outcome.status === 'completed' ? 'completed' : 'failed';
      const execution = await trx
        .updateTable('executions')
        .set((eb) => ({
          [counter]: eb(counter, '+', 1),
          cost_usd: eb('cost_usd', '+', outcome.cost_usd ?? 0),
          ...(outcome.reused_from && { reused: eb('reused', '+', 1) }),
        }))
        .where('execution_id', '=', job.execution_id)
        .returningAll()
        .executeTakeFirstOrThrow();
      if (execution.status !== 'running' || execution.completed + execution.failed < execution.total) {
        return toExecution(execution);
      }
      return closeExecution(trx, execution, outcome.finished_at);
    });
  }

  async abandonExecution(
    executionId: string,
    reason: string,
    at: string,
    status?: ExecutionStatus,
  ): Promise<ExecutionRecord> {
    return this.db.transaction().execute(async (trx) => {
      const abandoned = await trx
        .updateTable('jobs')
        .set({ status: 'failed', error: reason, finished_at: at })
        .where('execution_id', '=', executionId)
        .where('status', 'in', ['pending', 'in_progress'])
        .executeTakeFirst();
      const execution = await trx
        .updateTable('executions')
        .set((eb) => ({ failed: eb('failed', '+', Number(abandoned.numUpdatedRows)) }))
        .where('execution_id', '=', executionId)
        .returningAll()
        .executeTakeFirst();
      if (!execution) throw new Error(`no execution ${executionId}`);
      if (execution.status !== 'running') return toExecution(execution);
      return closeExecution(trx, execution, at, status);
    });
  }

  async purgeExpiredJobs(now: string): Promise<number> {
    const result = await this.db.deleteFrom('jobs').where('expires_at', '<', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async saveReport(report: StoredReport, chartPng: Uint8Array | null): Promise<void> {
    await this.db
      .insertInto('reports')
      .values({
        ...report,
        chart_png: chartPng,
        inputs_fingerprint: report.inputs_fingerprint ?? null,
        reused_from: report.reused_from ?? null,
        narrative_fallback: report.narrative_fallback ?? null,
      })
      .onConflict(replaceReportOnConflict)
      .execute();
  }

  async getChartPng(ticker: string, businessDate: string): Promise<Buffer | undefined> {
    const row = await this.db
      .selectFrom('reports')
      .select('chart_png')
      .where('ticker', '=', ticker)
      .where('business_date', '=', businessDate)
      .executeTakeFirst();
    return row?.chart_png ? Buffer.from(row.chart_png) : undefined;
  }

  async getLatestReport(ticker: string): Promise<StoredReport | undefined> {
    return this.db
      .selectFrom('reports')
      .select(REPORT_COLUMNS)
      .where('ticker', '=', ticker)
      .orderBy('business_date', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  async getReport(ticker: string, businessDate: string): Promise<StoredReport | undefined> {
    return this.db
      .selectFrom('reports')
      .select(REPORT_COLUMNS)
      .where('ticker', '=', ticker)
      .where('business_date', '=', businessDate)
      .executeTakeFirst();
  }

  async listLatestReportVersions(): Promise<ReportVersion[]> {
    // The (ticker, business_date) unique index answers both the per-ticker max and the lookup of that row; the
    // report bodies are never read.
    return this.db
      .selectFrom('reports as r')
      .innerJoin(
        (eb) =>
          eb
            .selectFrom('reports')
            .select(['ticker', (e) => e.fn.max('business_date').as('latest')])
            .groupBy('ticker')
            .as('m'),
        (join) => join.onRef('m.ticker', '=', 'r.ticker').onRef('m.latest', '=', 'r.business_date'),
      )
      .select(['r.ticker', 'r.business_date', 'r.generated_at', 'r.execution_id'])
      .orderBy('r.ticker')
      .execute();
  }

  getLatestReportInputs(ticker: string): Promise<LatestReportInputs | undefined> {
    return incremental.getLatestReportInputs(this.db, ticker);
  }
  listLatestReportInputs(tickers: string[]): Promise<Map<string, LatestReportInputs>> {
    return incremental.listLatestReportInputs(this.db, tickers);
  }
  getBarSeries(tickers: string[]): Promise<Map<string, BarSeries>> {
    return incremental.getBarSeries(this.db, tickers);
  }
  getNewsOf(tickers: string[], sinceIso: string, untilIso: string, limit: number): Promise<Map<string, StoredHeadline[]>> {
    return incremental.getNewsOf(this.db, tickers, sinceIso, untilIso, limit);
  }
  getPeerSets(executionId: string): Promise<Map<string, PeerComparison>> {
    return incremental.getPeerSets(this.db, executionId);
  }
  savePeerSetInputs(executionId: string, digest: string): Promise<void> {
    return incremental.savePeerSetInputs(this.db, executionId, digest);
  }
  copyPeerSets(digest: string, toExecutionId: string): Promise<boolean> {
    return incremental.copyPeerSets(this.db, digest, toExecutionId);
  }
  finishReusedJobs(executionId: string, reused: { ticker: string; reused_from: string }[], at: string) {
    return incremental.finishReusedJobs(this.db, executionId, reused, at);
  }

  carryReportForward(report: StoredReport, fromBusinessDate: string): Promise<void> {
    return incremental.carryReportForward(this.db, report, fromBusinessDate);
  }

  llmSpentOn(businessDate: string): Promise<number> {
    return incremental.llmSpentOn(this.db, businessDate);
  }

  // Delivery (src/delivery/subscription-store.ts), written in its own file.
  private subscriptionStore: SqlSubscriptionStore | undefined;
  private get subscriptions(): SqlSubscriptionStore {
    return (this.subscriptionStore ??= new SqlSubscriptionStore(this.db));
  }
  upsertSubscription: SqlSubscriptionStore['upsertSubscription'] = (...a) => this.subscriptions.upsertSubscription(...a);
  getSubscription: SqlSubscriptionStore['getSubscription'] = (...a) => this.subscriptions.getSubscription(...a);
  getSubscriptionByAddress: SqlSubscriptionStore['getSubscriptionByAddress'] = (...a) => this.subscriptions.getSubscriptionByAddress(...a);
  listSubscriptions: SqlSubscriptionStore['listSubscriptions'] = (...a) => this.subscriptions.listSubscriptions(...a);
  addSubscriptionTickers: SqlSubscriptionStore['addSubscriptionTickers'] = (...a) => this.subscriptions.addSubscriptionTickers(...a);
  removeSubscriptionTickers: SqlSubscriptionStore['removeSubscriptionTickers'] = (...a) => this.subscriptions.removeSubscriptionTickers(...a);
  setSubscriptionLanguage: SqlSubscriptionStore['setSubscriptionLanguage'] = (...a) => this.subscriptions.setSubscriptionLanguage(...a);
  disableSubscription: SqlSubscriptionStore['disableSubscription'] = (...a) => this.subscriptions.disableSubscription(...a);
  enableSubscription: SqlSubscriptionStore['enableSubscription'] = (...a) => this.subscriptions.enableSubscription(...a);
  deleteSubscription: SqlSubscriptionStore['deleteSubscription'] = (...a) => this.subscriptions.deleteSubscription(...a);
  claimDelivery: SqlSubscriptionStore['claimDelivery'] = (...a) => this.subscriptions.claimDelivery(...a);
  finishDelivery: SqlSubscriptionStore['finishDelivery'] = (...a) => this.subscriptions.finishDelivery(...a);
  claimDeliveries: SqlSubscriptionStore['claimDeliveries'] = (...a) => this.subscriptions.claimDeliveries(...a);
  finishDeliveries: SqlSubscriptionStore['finishDeliveries'] = (...a) => this.subscriptions.finishDeliveries(...a);
  getDelivery: SqlSubscriptionStore['getDelivery'] = (...a) => this.subscriptions.getDelivery(...a);
  listDeliveries: SqlSubscriptionStore['listDeliveries'] = (...a) => this.subscriptions.listDeliveries(...a);
  saveDeliverySummary: SqlSubscriptionStore['saveDeliverySummary'] = (...a) => this.subscriptions.saveDeliverySummary(...a);
  getDeliverySummary: SqlSubscriptionStore['getDeliverySummary'] = (...a) => this.subscriptions.getDeliverySummary(...a);
  listReportsOfDate: SqlSubscriptionStore['listReportsOfDate'] = (...a) => this.subscriptions.listReportsOfDate(...a);
  getChartPngs: SqlSubscriptionStore['getChartPngs'] = (...a) => this.subscriptions.getChartPngs(...a);
  // Calls and their grades (DESIGN §12), written in a file of their own.
  private callsOf?: SqlCallStore;
  private get calls(): SqlCallStore {
    return (this.callsOf ??= new SqlCallStore(this.db));
  }
  replaceBacktestCalls(range: { tickers: string[]; from: string; to: string }, calls: StoredCall[]): Promise<void> {
    return this.calls.replaceBacktestCalls(range, calls);
  }
  saveReportCall(call: StoredCall): Promise<void> {
    return this.calls.saveReportCall(call);
  }
  listCalls(filter: CallFilter): Promise<StoredCall[]> {
    return this.calls.listCalls(filter);
  }
  listUngradedCalls(): Promise<StoredCall[]> {
    return this.calls.listUngradedCalls();
  }
  updateCallGrades(updates: { key: CallKey; grades: CallGrades }[]): Promise<void> {
    return this.calls.updateCallGrades(updates);
  }

  upsertCompanyInfo(ticker: string, businessDate: string, info: CompanyInfo, source: string): Promise<void> {
    return upsertCompanyInfo(this.db, ticker, businessDate, info, source);
  }

  getLatestCompanyInfo(tickers: string[], onOrBefore: string): Promise<Map<string, StoredCompanyInfo>> {
    return getLatestCompanyInfo(this.db, tickers, onOrBefore);
  }

  async markFannedOut(executionId: string, at: string): Promise<void> {
    await this.db
      .updateTable('executions')
      .set({ fanned_out_at: at })
      .where('execution_id', '=', executionId)
      .where('fanned_out_at', 'is', null)
      .execute();
  }

  async claimExecution(
    executionId: string,
    expectedOwner: string,
    claim: { owner: string; at: string; deadline_at: string },
  ): Promise<ExecutionRecord | undefined> {
    const row = await this.db
      .updateTable('executions')
      .set({ owner: claim.owner, heartbeat_at: claim.at, deadline_at: claim.deadline_at })
      .where('execution_id', '=', executionId)
      .where('owner', '=', expectedOwner)
      .where('status', '=', 'running')
      .returningAll()
      .executeTakeFirst();
    return row && toExecution(row);
  }

  // Chat webhook events (src/chat/webhook-event-store.ts).
  claimWebhookEvent(platform: 'line' | 'telegram', eventId: string, receivedAt: string): Promise<boolean> {
    return new WebhookEventSql(this.db).claimWebhookEvent(platform, eventId, receivedAt);
  }
  purgeWebhookEvents(before: string): Promise<number> {
    return new WebhookEventSql(this.db).purgeWebhookEvents(before);
  }
}

/** A second write of (ticker, business_date) replaces every column of the row: one report per ticker per date. */
export function replaceReportOnConflict(oc: OnConflictBuilder<Database, 'reports'>) {
  return oc.columns(['ticker', 'business_date']).doUpdateSet((eb) => ({
    as_of: eb.ref('excluded.as_of'),
    execution_id: eb.ref('excluded.execution_id'),
    generated_at: eb.ref('excluded.generated_at'),
    data_source: eb.ref('excluded.data_source'),
    body: eb.ref('excluded.body'),
    chart_png: eb.ref('excluded.chart_png'),
    inputs_fingerprint: eb.ref('excluded.inputs_fingerprint'),
    reused_from: eb.ref('excluded.reused_from'),
    narrative_fallback: eb.ref('excluded.narrative_fallback'),
  }));
}

export function jobIdFor(ticker: string, executionId: string): string {
  return `rpt_${ticker}_${executionId}`;
}

/** The status an execution's counts imply once nothing is left to run. */
export function finalStatus(completed: number, failed: number): ExecutionStatus {
  if (failed === 0) return 'completed';
  return completed === 0 ? 'failed' : 'completed_with_failures';
}

export async function closeExecution(
  trx: Transaction<Database>,
  execution: Selectable<ExecutionsTable>,
  at: string,
  status: ExecutionStatus = finalStatus(execution.completed, execution.failed),
): Promise<ExecutionRecord> {
  const slowest = await trx
    .selectFrom('jobs')
    .select((eb) => eb.fn.max('duration_ms').as('slowest'))
    .where('execution_id', '=', execution.execution_id)
    .executeTakeFirst();
  const closed = await trx
    .updateTable('executions')
    .set({
      status,
      finished_at: at,
      duration_ms: Date.parse(at) - Date.parse(execution.started_at),
      slowest_job_ms: slowest?.slowest == null ? null : Number(slowest.slowest),
    })
    .where('execution_id', '=', execution.execution_id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toExecution(closed);
}

export function toExecution(r: Selectable<ExecutionsTable>): ExecutionRecord {
  return {
    execution_id: r.execution_id,
    status: r.status as ExecutionStatus,
    source: r.source as ExecutionRecord['source'],
    requested: JSON.parse(r.requested),
    business_date: r.business_date,
    total: Number(r.total),
    completed: Number(r.completed),
    failed: Number(r.failed),
    started_at: r.started_at,
    finished_at: r.finished_at,
    deadline_at: r.deadline_at,
    duration_ms: r.duration_ms == null ? null : Number(r.duration_ms),
    slowest_job_ms: r.slowest_job_ms == null ? null : Number(r.slowest_job_ms),
    cost_usd: Number(r.cost_usd),
    owner: r.owner,
    heartbeat_at: r.heartbeat_at,
    reused: Number(r.reused ?? 0),
    fanned_out_at: r.fanned_out_at ?? null,
  };
}

export function toJob(r: Selectable<JobsTable>): JobRecord {
  return {
    job_id: r.job_id,
    execution_id: r.execution_id,
    ticker: r.ticker,
    source: r.source as JobRecord['source'],
    status: r.status as JobRecord['status'],
    attempts: Number(r.attempts),
    error: r.error,
    created_at: r.created_at,
    started_at: r.started_at,
    finished_at: r.finished_at,
    duration_ms: r.duration_ms == null ? null : Number(r.duration_ms),
    expires_at: r.expires_at,
    reused_from: r.reused_from ?? null,
  };
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || e?.code === '23505' || /UNIQUE constraint/.test(e?.message ?? '');
}
