import type { Ticker } from '../registry/ticker.js';
import { addDays } from '../report/business-date.js';
import type { DailyBar } from '../report/daily-bar.js';
import { buildFundamentals, type Fundamentals } from '../report/fundamentals.js';
import { buildFxView, fxPairFor, FX_MONTH_BARS, type FxView } from '../report/fx-view.js';
import { inputsFingerprint } from '../report/inputs-fingerprint.js';
import type { Language } from '../report/narrative-contract.js';
import type { PeerComparison } from '../report/peers.js';
import { OLD_DATA_DAYS, shownTrackRecord } from '../report/report.js';
import { assessValuation, type Valuation } from '../report/valuation.js';
import { endOfBangkokDayMs } from '../sources/news-source.js';
import type { StoredCompanyInfo } from '../store/company-info-store.js';
import type { BarSeries } from '../store/incremental-store.js';
import type { StoredBars, StoredHeadline } from '../store/store.js';
import { barsToRead } from '../track-record/live-calls.js';
import { reportTrackRecord, type ReportTrackRecord } from '../report/track-record/report-track-record.js';
import type { CallStore } from '../report/track-record/call-store.js';
import type { PipelineDeps } from './pipeline-deps.js';

/** FX rates read per report: the month of the THB return plus slack for holidays on either calendar. */
const FX_RATES_READ = FX_MONTH_BARS * 2 + 10;
/** Company info older than this many days before the business date is still shown, with a warning. */
const OLD_COMPANY_INFO_DAYS = 10;
/** Headlines read per report at most. */
export const NEWS_READ = 500;

export interface ReportInputsRead {
  /** The report's history window and, before it, the bars the held call (hysteresis) is replayed over. */
  bars: StoredBars;
  /** The stored headlines of the report's news window; null when reports go without news. */
  news: { windowEnd: string; headlines: StoredHeadline[] } | null;
  fundamentals: Fundamentals | null;
  valuation: Valuation;
  fx: FxView | null;
  /** The ticker's track record before the business date, as the report shows it. */
  trackRecord: ReportTrackRecord;
  /** Missing optional parts (company info, FX), to be shown on the report. */
  warnings: string[];
  /** Null when the store keeps no digest of the ticker's bars: such a report is never carried forward. */
  fingerprint: string | null;
}

/** The news window of a report: the `days` before the end of its business date (Asia/Bangkok). */
export function newsWindowOf(businessDate: string, days: number): { since: string; windowEnd: string } {
  const windowEnd = new Date(endOfBangkokDayMs(businessDate)).toISOString();
  return { windowEnd, since: new Date(Date.parse(windowEnd) - days * 86_400_000).toISOString() };
}

/** The `track_record` summary of a ticker's report, from its stored calls (any other ticker's are ignored). */
export async function readTrackRecords(store: CallStore, tickers: string[], businessDate: string): Promise<Map<string, ReportTrackRecord>> {
  const calls = await store.listCalls({ tickers, strategies: ['daybreak'] });
  const byTicker = new Map<string, typeof calls>(tickers.map((t) => [t, []]));
  for (const c of calls) byTicker.get(c.ticker)?.push(c);
  return new Map([...byTicker].map(([t, mine]) => [t, reportTrackRecord(mine, businessDate)]));
}

/** What a ticker's fingerprint is computed from, as the worker reads it for one ticker and a run for all at once. */
export interface FingerprintParts {
  ticker: Ticker;
  businessDate: string;
  series: BarSeries | undefined;
  /** The series of the ticker's FX pair; undefined for THB or when none is stored. */
  fxRates: BarSeries | undefined;
  /** Null when reports go without news. */
  headlines: StoredHeadline[] | null;
  peers: PeerComparison | null;
  fundamentals: CompanyFacts;
  trackRecord: ReportTrackRecord;
}

/** Every input of a report, as listed in report/inputs-fingerprint.ts. Null without a digest of the bars. */
export function reportFingerprint(deps: Pick<PipelineDeps, 'settings' | 'narrativeWriter'>, parts: FingerprintParts): string | null {
  const { settings } = deps;
  if (!parts.series) return null;
  return inputsFingerprint({
    bars_digest: parts.series.digest,
    history_bars: barsToRead(settings.historyBars),
    data_source: parts.series.source,
    headlines: parts.headlines ?? [],
    news_window_days: parts.headlines ? settings.newsWindowDays : null,
    peers: parts.peers,
    ticker: parts.ticker,
    language: settings.language,
    writer: deps.narrativeWriter.name,
    model: deps.narrativeWriter.model,
    old_data: (Date.parse(parts.businessDate) - Date.parse(parts.series.last_date)) / 86_400_000 > OLD_DATA_DAYS,
    fundamentals: parts.fundamentals.fundamentals,
    valuation: parts.fundamentals.valuation,
    old_company_info: parts.fundamentals.oldInfo,
    fx_rates: parts.fxRates?.digest ?? null,
    track_record: shownTrackRecord(parts.trackRecord),
  });
}

/**
 * Reads from the store what a ticker's report for `businessDate` is made of and fingerprints it. The worker makes
 * its report from exactly these reads; the on-demand route uses the same function to tell whether a stored report's
 * inputs have changed. Undefined when the store holds no bars for the ticker.
 */
export async function readReportInputs(
  deps: PipelineDeps,
  ticker: Ticker,
  businessDate: string,
  peers: PeerComparison | null,
  stage: <T>(name: string, work: () => T | Promise<T>) => Promise<T> = async (_name, work) => work(),
): Promise<ReportInputsRead | undefined> {
  const { store, settings } = deps;
  const pair = fxPairFor(ticker.currency);
  // The digests before the bars: bars written in between are then newer than the digest, which can only make the
  // next run's check miss, never carry forward a report made from older bars than its fingerprint names.
  const { series, bars } = await stage('read_bars', async () => ({
    series: await store.getBarSeries(pair ? [ticker.symbol, pair] : [ticker.symbol]),
    bars: await store.getDailyBars(ticker.symbol, barsToRead(settings.historyBars)),
  }));
  if (!bars) return undefined;
  const news = await stage('news', async () => {
    if (!deps.newsSource) return null;
    const { since, windowEnd } = newsWindowOf(businessDate, settings.newsWindowDays);
    return { windowEnd, headlines: await store.getNews(ticker.symbol, since, windowEnd, NEWS_READ) };
  });
  const warnings: string[] = [];
  const window = bars.bars.slice(-settings.historyBars);
  const { facts, fx } = await stage('read_fundamentals', async () => {
    const [infos, rates] = await Promise.all([
      store.getLatestCompanyInfo(peerCandidates(ticker, peers), businessDate),
      pair ? store.getDailyBars(pair, FX_RATES_READ) : Promise.resolve(undefined),
    ]);
    return {
      facts: companyFactsOf(ticker, businessDate, window.at(-1)!.close, infos, peers, settings.language, warnings),
      fx: fxViewOf(pair, window, rates, settings.language, warnings),
    };
  });
  const trackRecord = await stage('track_record', async () => (await readTrackRecords(store, [ticker.symbol], businessDate)).get(ticker.symbol)!);
  const fingerprint = reportFingerprint(deps, {
    ticker,
    businessDate,
    series: series.get(ticker.symbol),
    fxRates: pair ? series.get(pair) : undefined,
    headlines: news?.headlines ?? null,
    peers,
    fundamentals: facts,
    trackRecord,
  });
  return { bars, news, fundamentals: facts.fundamentals, valuation: facts.valuation, fx, trackRecord, warnings, fingerprint };
}

/** The tickers whose company info a report reads: its own, its sector mates' and its correlated peers'. */
export function peerCandidates(ticker: Ticker, peers: PeerComparison | null): string[] {
  return [...new Set([ticker.symbol, ...(peers?.sector_mates ?? []), ...(peers?.top ?? []).map((p) => p.ticker)])];
}

/** A report's fundamentals and valuation, and whether its company info is old. */
export interface CompanyFacts {
  fundamentals: Fundamentals | null;
  valuation: Valuation;
  oldInfo: boolean;
}

/**
 * Fundamentals and the P/E against the peers, from the latest company info of the ticker and its peer candidates
 * and its last close. Missing or old info is a warning: a report without fundamentals is still a report.
 */
export function companyFactsOf(
  ticker: Ticker,
  businessDate: string,
  lastClose: number,
  infos: Map<string, StoredCompanyInfo>,
  peers: PeerComparison | null,
  /** The report's: the valuation basis is worded in it (and the fingerprint hashes the basis). */
  language: Language,
  warnings: string[] = [],
): CompanyFacts {
  const own = infos.get(ticker.symbol);
  let fundamentals: Fundamentals | null = null;
  let oldInfo = false;
  if (!own) {
    warnings.push(`company info unavailable: none stored for ${ticker.symbol} on or before ${businessDate} (fundamentals and valuation left out)`);
  } else {
    fundamentals = buildFundamentals(own, lastClose, ticker.currency);
    oldInfo = own.business_date < addDays(businessDate, -OLD_COMPANY_INFO_DAYS);
    if (oldInfo) warnings.push(`old company info: fetched for ${own.business_date}`);
  }
  const pe = (symbol: string) => ({ ticker: symbol, pe_ratio: infos.get(symbol)?.info.pe_ratio ?? null });
  const valuation = assessValuation(fundamentals, {
    sectorMates: (peers?.sector_mates ?? []).map(pe),
    correlated: (peers?.top ?? []).map((p) => pe(p.ticker)),
  }, language);
  return { fundamentals, valuation, oldInfo };
}

/** The THB view from the report's bars and its pair's rates; missing or old rates are warnings. */
function fxViewOf(pair: string | null, bars: DailyBar[], rates: StoredBars | undefined, language: Language, warnings: string[]): FxView | null {
  if (!pair) return null;
  const fx = rates ? buildFxView(pair, bars, rates.bars, language) : null;
  if (!fx) warnings.push(`FX unavailable: no ${pair} rates stored on or before ${bars.at(-1)!.date} (the THB view is left out)`);
  else if (fx.rate_date < addDays(bars.at(-1)!.date, -7)) warnings.push(`old FX rate: ${pair} is from ${fx.rate_date}`);
  return fx;
}
