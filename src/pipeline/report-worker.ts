import { errorMessage, PermanentError } from '../errors.js';
import { narrate } from '../narrative/narrate.js';
import type { JobHandler } from '../queue/job-queue.js';
import { willRetry } from '../queue/retry-policy.js';
import type { Ticker } from '../registry/ticker.js';
import { addDays } from '../report/business-date.js';
import type { DailyBar } from '../report/daily-bar.js';
import { buildFundamentals, type Fundamentals } from '../report/fundamentals.js';
import { buildFxView, fxPairFor, FX_MONTH_BARS, type FxView } from '../report/fx-view.js';
import { narrativeInputsOf, type NarrativeInputs } from '../report/narrative-inputs.js';
import { analyzeNews } from '../report/news-analysis.js';
import type { PeerComparison } from '../report/peers.js';
import { scoreNarrative } from '../report/quality-scores.js';
import { assembleReport, type NewsSection, type ReportTimings } from '../report/report.js';
import { analyzeTechnicals, type TechnicalAnalysis } from '../report/technical-analysis.js';
import { scoreForUsers } from '../report/user-facing-scores.js';
import { assessValuation, scoreValuation, type Valuation } from '../report/valuation.js';
import { endOfBangkokDayMs } from '../sources/news-source.js';
import type { ExecutionRecord, JobOutcome } from '../store/store.js';
import { barsToRead, createLiveCalls } from '../track-record/live-calls.js';
import { narrativeTrackRecord } from '../track-record/report-track-record.js';
import { JOB_ENDED, type JobEndedEvent, type PipelineDeps } from './pipeline-deps.js';

const NEWS_ITEMS = 5;
/** FX rates read per report: the month of the THB return plus slack for holidays on either calendar. */
const FX_RATES_READ = FX_MONTH_BARS * 2 + 10;
/** Company info older than this many days before the business date is still shown, with a warning. */
const OLD_COMPANY_INFO_DAYS = 10;

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

  async function readNews(ticker: Ticker, businessDate: string, warnings: string[]): Promise<NewsSection | null> {
    if (!deps.newsSource) return null;
    const windowEnd = new Date(endOfBangkokDayMs(businessDate)).toISOString();
    const since = new Date(Date.parse(windowEnd) - deps.settings.newsWindowDays * 86_400_000).toISOString();
    const headlines = await store.getNews(ticker.symbol, since, windowEnd, 500);
    const news = analyzeNews(headlines, { windowEnd, windowDays: deps.settings.newsWindowDays, maxItems: NEWS_ITEMS });
    if (!news.overall_sentiment) warnings.push(`no news in the ${deps.settings.newsWindowDays} days to ${businessDate}`);
    return news;
  }

  async function readPeers(executionId: string, ticker: Ticker, warnings: string[]): Promise<PeerComparison | null> {
    const peers = await store.getPeerSet(executionId, ticker.symbol);
    if (!peers || peers.top.length === 0) {
      warnings.push('no peers: too little shared price history with the rest of the universe');
      return null;
    }
    return peers;
  }

  /**
   * Company info of the ticker and its peer candidates (one query) and its pair's FX rates (one query), read together.
   * Missing parts are warnings: a report without fundamentals or the THB view is still a report.
   */
  async function readFundamentals(
    ticker: Ticker,
    businessDate: string,
    bars: DailyBar[],
    peers: PeerComparison | null,
    warnings: string[],
  ): Promise<{ fundamentals: Fundamentals | null; valuation: Valuation; fx: FxView | null }> {
    const sectorMates = peers?.sector_mates ?? [];
    const correlated = (peers?.top ?? []).map((p) => p.ticker);
    const pair = fxPairFor(ticker.currency);
    const [infos, rates] = await Promise.all([
      store.getLatestCompanyInfo([...new Set([ticker.symbol, ...sectorMates, ...correlated])], businessDate),
      pair ? store.getDailyBars(pair, FX_RATES_READ) : Promise.resolve(undefined),
    ]);
    const own = infos.get(ticker.symbol);
    let fundamentals: Fundamentals | null = null;
    if (!own) {
      warnings.push(`company info unavailable: none stored for ${ticker.symbol} on or before ${businessDate} (fundamentals and valuation left out)`);
    } else {
      fundamentals = buildFundamentals(own, bars.at(-1)!.close, ticker.currency);
      if (own.business_date < addDays(businessDate, -OLD_COMPANY_INFO_DAYS)) warnings.push(`old company info: fetched for ${own.business_date}`);
    }
    const pe = (symbol: string) => ({ ticker: symbol, pe_ratio: infos.get(symbol)?.info.pe_ratio ?? null });
    const valuation = assessValuation(fundamentals, { sectorMates: sectorMates.map(pe), correlated: correlated.map(pe) });
    let fx: FxView | null = null;
    if (pair) {
      fx = rates ? buildFxView(pair, bars, rates.bars) : null;
      if (!fx) warnings.push(`FX unavailable: no ${pair} rates stored on or before ${bars.at(-1)!.date} (the THB view is left out)`);
      else if (fx.rate_date < addDays(bars.at(-1)!.date, -7)) warnings.push(`old FX rate: ${pair} is from ${fx.rate_date}`);
    }
    return { fundamentals, valuation, fx };
  }

  return async (queued, attempt) => {
    const started = await store.startJob(queued.jobId, deps.now().toISOString());
    if (!started) return; // ended already: completed, or failed at a deadline or by crash recovery
    try {
      const timings: ReportTimings = {};
      const stage = stageTimer(timings);
      const warnings: string[] = [];
      const startedAt = performance.now();

      const ticker = registry.get(queued.ticker);
      if (!ticker) throw new PermanentError(`${queued.ticker} is not in the ticker registry`);
      const execution = await executionOf(queued.executionId);
      const stored = await stage('read_bars', () => store.getDailyBars(ticker.symbol, barsToRead(deps.settings.historyBars)));
      if (!stored) {
        throw new PermanentError(`no daily bars in the store for ${ticker.symbol}: run \`daybreak ingest --tickers ${ticker.symbol}\``);
      }
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
      const news = await stage('news', () => readNews(ticker, execution.business_date, warnings));
      const peers = await stage('peers', () => readPeers(queued.executionId, ticker, warnings));
      const { fundamentals, valuation, fx } = await stage('read_fundamentals', () =>
        readFundamentals(ticker, execution.business_date, stored.bars, peers, warnings),
      );

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
      const { held, trackRecord } = await stage('track_record', async () => ({
        held: await liveCalls.heldCall(ticker, stored.bars, queued.executionId, execution.business_date),
        trackRecord: await liveCalls.trackRecordOf(ticker, execution.business_date),
      }));
      const narrative = await stage('narrative', () =>
        narrate(inputs, deps.writerFor(queued.executionId), { held, trackRecord: narrativeTrackRecord(trackRecord) }),
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
        userFacingScores: [...scoreForUsers({ technicals, news: inputs.news, peers: inputs.peers }), scoreValuation(fundamentals, valuation)],
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
        },
        chart,
      );
      await liveCalls.recordCall(report, narrative.decision.score, execution.source);
      const llmUsage = deps.llmUsageOf(queued.executionId);
      if (llmUsage) await store.saveLlmUsage(queued.executionId, deps.owner, llmUsage);
      await end(queued.jobId, { status: 'completed', cost_usd: report.api_costs.usd });
    } catch (error) {
      if (willRetry(error, attempt)) {
        await store.releaseJob(queued.jobId, errorMessage(error));
      } else {
        await end(queued.jobId, { status: 'failed', error: errorMessage(error) });
      }
      throw error;
    }
  };
}
