import { errorMessage, PermanentError, ServiceUnavailableError } from '../errors.js';
import { narrate } from '../narrative/narrate.js';
import type { JobHandler } from '../queue/job-queue.js';
import { willRetry } from '../queue/retry-policy.js';
import type { Ticker } from '../registry/ticker.js';
import { narrativeInputsOf, type NarrativeInputs } from '../report/narrative-inputs.js';
import { analyzeNews } from '../report/news-analysis.js';
import type { PeerComparison } from '../report/peers.js';
import { scoreNarrative } from '../report/quality-scores.js';
import { assembleReport, type NewsSection, type ReportTimings } from '../report/report.js';
import { analyzeTechnicals, type TechnicalAnalysis } from '../report/technical-analysis.js';
import { scoreForUsers } from '../report/user-facing-scores.js';
import { scoreValuation } from '../report/valuation.js';
import type { ExecutionRecord, JobOutcome, StoredHeadline } from '../store/store.js';
import { createLiveCalls } from '../track-record/live-calls.js';
import { narrativeTrackRecord } from '../report/track-record/report-track-record.js';
import { JOB_ENDED, type JobEndedEvent, type PipelineDeps } from './pipeline-deps.js';
import { usablePeers, reusableOrigin, writeCarriedForward } from './carry-forward.js';
import { readReportInputs, type ReportInputsRead } from './report-inputs.js';

const NEWS_ITEMS = 5;

/** Where the HTTP API serves a report's chart; the same path whichever process made the report. */
export function chartUrlFor(ticker: string): string {
  return `/api/v1/report/${encodeURIComponent(ticker)}/chart.png`;
}

/** Measures each stage of a report into `timings` under its name. */
function stageTimer(timings: ReportTimings) {
  return async <T>(stage: string, work: () => T | Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      timings[`${stage}_ms`] = Math.round((performance.now() - started) * 1000) / 1000;
    }
  };
}

/**
 * Step 4 of the daily flow, one job per ticker: in_progress → read the store (never a source) → indicators and
 * percentiles → news and sentiment → peers → fundamentals, valuation and FX → narrative → scores → chart → report JSON → upsert → completed | failed.
 * The same handler runs under every queue. Only missing or invalid prices fail a report; news, peers, company info,
 * FX and the chart are optional parts whose problems become warnings on the report.
 */
export function createReportWorker(deps: PipelineDeps): JobHandler {
  const { store, registry } = deps;
  const executions = new Map<string, ExecutionRecord>();
  const liveCalls = createLiveCalls({
    store,
    universe: () => registry.active(),
    hasNews: deps.newsSource !== null,
    settings: deps.settings,
  });

  async function executionOf(executionId: string): Promise<ExecutionRecord> {
    let execution = executions.get(executionId);
    if (!execution) {
      execution = await store.getExecution(executionId);
      if (!execution) throw new PermanentError(`execution ${executionId} does not exist`);
      executions.set(executionId, execution);
    }
    return execution;
  }

  async function end(jobId: string, outcome: Omit<JobOutcome, 'finished_at'>): Promise<void> {
    const execution = await store.finishJob(jobId, { ...outcome, finished_at: deps.now().toISOString() });
    if (!execution) return;
    const job = await store.getJob(jobId);
    if (job) deps.events.emit(JOB_ENDED, { job, execution } satisfies JobEndedEvent);
  }

  async function closeIfReportSaved(jobId: string, executionId: string, ticker: string): Promise<boolean> {
    const execution = await executionOf(executionId);
    const saved = await store.getReport(ticker, execution.business_date);
    if (saved?.execution_id !== executionId) return false;
    const costUsd = (JSON.parse(saved.body) as { api_costs?: { usd?: number } }).api_costs?.usd ?? 0;
    await end(jobId, { status: 'completed', cost_usd: costUsd });
    return true;
  }

  function analyzeHeadlines(read: { windowEnd: string; headlines: StoredHeadline[] } | null, businessDate: string, warnings: string[]): NewsSection | null {
    if (!read) return null;
    const news = analyzeNews(read.headlines, { windowEnd: read.windowEnd, windowDays: deps.settings.newsWindowDays, maxItems: NEWS_ITEMS });
    if (!news.overall_sentiment) warnings.push(`no news in the ${deps.settings.newsWindowDays} days to ${businessDate}`);
    return news;
  }

  /**
   * Carries the ticker's latest report forward when it was made from exactly these inputs (`carry-forward.ts`): no
   * chart, no narrative, no LLM call. Returns the execution that made the report, or undefined when a new report
   * must be made.
   */
  async function carryForward(execution: ExecutionRecord, ticker: Ticker, read: ReportInputsRead): Promise<string | undefined> {
    const { fingerprint, trackRecord } = read;
    if (execution.requested.force || fingerprint === null) return undefined;
    const latest = await store.getLatestReportInputs(ticker.symbol);
    const reuse = await reusableOrigin(execution, latest, fingerprint, () => deps.llmAvailable(execution.execution_id, execution.business_date));
    if (!reuse || !(await writeCarriedForward(deps, execution, latest!, reuse, { fingerprint, trackRecord }))) return undefined;
    return reuse.origin;
  }

  async function readPeers(executionId: string, ticker: Ticker, warnings: string[]): Promise<PeerComparison | null> {
    const peers = usablePeers(await store.getPeerSet(executionId, ticker.symbol));
    if (!peers) {
      warnings.push('no peers: too little shared price history with the rest of the universe');
      return null;
    }
    return peers;
  }

  return async (queued, attempt) => {
    const started = await store.startJob(queued.jobId, deps.now().toISOString());
    if (!started) return; // ended already: completed, or failed at a deadline
    try {
      // A redelivery (its worker died, or a resume) whose report was saved before the job could be closed: close it
      // with that report instead of making it twice.
      if (started.attempts > 1 && (await closeIfReportSaved(queued.jobId, queued.executionId, queued.ticker))) return;
      const timings: ReportTimings = {};
      const stage = stageTimer(timings);
      const warnings: string[] = [];
      const startedAt = performance.now();

      const ticker = registry.get(queued.ticker);
      if (!ticker) throw new PermanentError(`${queued.ticker} is not in the ticker registry`);
      const execution = await executionOf(queued.executionId);
      const peers = await stage('peers', () => readPeers(queued.executionId, ticker, warnings));
      const read = await readReportInputs(deps, ticker, execution.business_date, peers, stage);
      if (!read) {
        throw new PermanentError(`no daily bars in the store for ${ticker.symbol}: run \`daybreak ingest --tickers ${ticker.symbol}\``);
      }
      const { bars: stored, news: headlines, fundamentals, valuation, fx, trackRecord, fingerprint } = read;
      const reusedFrom = await stage('reuse', () => carryForward(execution, ticker, read));
      if (reusedFrom) {
        await end(queued.jobId, { status: 'completed', cost_usd: 0, reused_from: reusedFrom });
        return;
      }
      warnings.push(...read.warnings);
      // The report reads its history window; the bars before it only serve the held call (hysteresis).
      const bars = stored.bars.slice(-deps.settings.historyBars);
      const technicals = await stage('indicators', (): TechnicalAnalysis => {
        try {
          return analyzeTechnicals(bars);
        } catch (error) {
          throw new PermanentError(`invalid price data for ${ticker.symbol}: ${errorMessage(error)}`, { cause: error });
        }
      });
      // The chart needs only the bars: it is drawn on a worker thread while the narrative (often a network wait
      // for the LLM) and the scores are made here.
      const chartPromise = stage('chart', async () => {
        try {
          return await deps.charts.render({
            title: ticker.name,
            symbol: ticker.symbol,
            currency: ticker.currency,
            bars,
            language: deps.settings.language,
            ...(stored.source === 'demo' && { subtitle: deps.settings.language === 'th' ? 'ข้อมูลสาธิต (สังเคราะห์)' : 'demo data (synthetic)' }),
          });
        } catch (error) {
          warnings.push(`chart unavailable: ${errorMessage(error)}`);
          return null;
        }
      });
      const news = analyzeHeadlines(headlines, execution.business_date, warnings);

      const inputs: NarrativeInputs = {
        ...narrativeInputsOf({ ticker, technicals, news, peers, dataSource: stored.source, language: deps.settings.language }),
        valuation: fundamentals && {
          label: valuation.label,
          pe_ratio: valuation.pe_ratio,
          peers_median_pe: valuation.peers_median_pe,
          pe_vs_peers_median_pct: valuation.pe_vs_peers_median_pct,
          analyst_upside_pct: valuation.analyst_upside_pct,
          peer_count: valuation.peers.length,
        },
        fx: fx && { base_currency: fx.base_currency, change_1m_pct: fx.change_1m_pct, return_1m_thb_pct: fx.return_1m_thb_pct },
      };
      const held = await stage('held_call', () => liveCalls.heldCall(ticker, stored.bars, queued.executionId, execution.business_date));
      const narrative = await stage('narrative', () =>
        narrate(inputs, deps.writerFor(queued.executionId, execution.business_date), { held, trackRecord: narrativeTrackRecord(trackRecord) }),
      );
      const names = new Map((peers?.top ?? []).map((p) => [p.ticker, p.name]));
      const { qualityScores, userFacingScores } = await stage('scoring', () => ({
        qualityScores: scoreNarrative({
          narrative: narrative.markdown,
          language: inputs.language,
          facts: narrative.facts,
          states: narrative.states,
          stance: narrative.decision.stance,
          recommendation: narrative.decision.recommendation,
          newsCount: news?.overall_sentiment?.count ?? 0,
          peerCount: peers?.top.length ?? 0,
          names: [ticker.name, ...names.values()],
        }),
        userFacingScores: [
          ...scoreForUsers({ technicals, news: inputs.news, peers: inputs.peers, language: inputs.language }),
          scoreValuation(fundamentals, valuation, inputs.language),
        ],
      }));
      const chart = await chartPromise;
      const usage = narrative.draft.usage;
      timings.total_ms = Math.round((performance.now() - startedAt) * 1000) / 1000;
      const report = assembleReport({
        ticker,
        technicals,
        bars,
        dataSource: stored.source,
        executionId: queued.executionId,
        businessDate: execution.business_date,
        generatedAt: deps.now().toISOString(),
        language: inputs.language,
        narrative: { ...narrative, writer: narrative.draft.writer },
        news,
        peers,
        fundamentals,
        valuation,
        fx,
        names,
        chartUrl: chart ? chartUrlFor(ticker.symbol) : null,
        userFacingScores,
        qualityScores,
        apiCosts: {
          writer: narrative.draft.writer,
          model: narrative.draft.model,
          input_tokens: usage?.input_tokens ?? 0,
          output_tokens: usage?.output_tokens ?? 0,
          usd: usage?.cost_usd ?? 0,
        },
        timings,
        warnings,
        trackRecord,
        inputsFingerprint: fingerprint,
      });
      await store.saveReport(
        {
          ticker: ticker.symbol,
          business_date: execution.business_date,
          as_of: report.as_of,
          execution_id: queued.executionId,
          generated_at: report.generated_at,
          data_source: report.data_source,
          body: JSON.stringify(report),
          inputs_fingerprint: fingerprint,
          narrative_fallback: narrative.draft.fallback_reason ?? null,
        },
        chart,
      );
      await liveCalls.recordCall(report, narrative.decision.score, execution.source);
      const llmUsage = deps.llmUsageOf(queued.executionId);
      if (llmUsage) await store.saveLlmUsage(queued.executionId, deps.owner, llmUsage);
      await end(queued.jobId, { status: 'completed', cost_usd: report.api_costs.usd });
    } catch (error) {
      // The store stayed unreachable: nothing can be recorded; the queue redelivers the job without an attempt.
      if (error instanceof ServiceUnavailableError) throw error;
      if (willRetry(error, attempt)) {
        await store.releaseJob(queued.jobId, errorMessage(error));
      } else {
        await end(queued.jobId, { status: 'failed', error: errorMessage(error) });
      }
      throw error;
    }
  };
}
