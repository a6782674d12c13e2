import type { Ticker } from '../registry/ticker.js';
import { addDays } from '../report/business-date.js';
import type { DailyBar } from '../report/daily-bar.js';
import { buildFundamentals, type Fundamentals } from '../report/fundamentals.js';
import { buildFxView, fxPairFor, FX_MONTH_BARS, type FxView } from '../report/fx-view.js';
import { inputsFingerprint } from '../report/inputs-fingerprint.js';
import type { PeerComparison } from '../report/peers.js';
import { OLD_DATA_DAYS } from '../report/report.js';
import { assessValuation, type Valuation } from '../report/valuation.js';
import { endOfBangkokDayMs } from '../sources/news-source.js';
import type { StoredBars, StoredHeadline } from '../store/store.js';
import { barsToRead } from '../track-record/live-calls.js';
import type { PipelineDeps } from './pipeline-deps.js';

/** FX rates read per report: the month of the THB return plus slack for holidays on either calendar. */
const FX_RATES_READ = FX_MONTH_BARS * 2 + 10;
/** Company info older than this many days before the business date is still shown, with a warning. */
const OLD_COMPANY_INFO_DAYS = 10;

export interface ReportInputsRead {
  /** The report's history window and, before it, the bars the held call (hysteresis) is replayed over. */
  bars: StoredBars;
  /** The stored headlines of the report's news window; null when reports go without news. */
  news: { windowEnd: string; headlines: StoredHeadline[] } | null;
  fundamentals: Fundamentals | null;
  valuation: Valuation;
  fx: FxView | null;
  /** Missing optional parts (company info, FX), to be shown on the report. */
  warnings: string[];
  fingerprint: string;
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
  const bars = await stage('read_bars', () => store.getDailyBars(ticker.symbol, barsToRead(settings.historyBars)));
  if (!bars) return undefined;
  const news = await stage('news', async () => {
    if (!deps.newsSource) return null;
    const windowEnd = new Date(endOfBangkokDayMs(businessDate)).toISOString();
    const since = new Date(Date.parse(windowEnd) - settings.newsWindowDays * 86_400_000).toISOString();
    return { windowEnd, headlines: await store.getNews(ticker.symbol, since, windowEnd, 500) };
  });
  const warnings: string[] = [];
  const { fundamentals, valuation, fx } = await stage('read_fundamentals', () =>
    readFundamentals(deps, ticker, businessDate, bars.bars.slice(-settings.historyBars), peers, warnings),
  );
  const lastBar = bars.bars.at(-1)!;
  // Every input of a report, as listed in report/inputs-fingerprint.ts.
  const fingerprint = inputsFingerprint({
    bars: bars.bars,
    data_source: bars.source,
    headlines: news?.headlines ?? [],
    news_window_days: news ? settings.newsWindowDays : null,
    peers,
    ticker,
    language: settings.language,
    writer: deps.narrativeWriter.name,
    model: deps.narrativeWriter.model,
    old_data: (Date.parse(businessDate) - Date.parse(lastBar.date)) / 86_400_000 > OLD_DATA_DAYS,
    fundamentals,
    valuation,
    fx,
  });
  return { bars, news, fundamentals, valuation, fx, warnings, fingerprint };
}

/**
 * Company info of the ticker and its peer candidates (one query) and its pair's FX rates (one query), read together.
 * Missing parts are warnings: a report without fundamentals or the THB view is still a report.
 */
async function readFundamentals(
  deps: PipelineDeps,
  ticker: Ticker,
  businessDate: string,
  bars: DailyBar[],
  peers: PeerComparison | null,
  warnings: string[],
): Promise<{ fundamentals: Fundamentals | null; valuation: Valuation; fx: FxView | null }> {
  const { store } = deps;
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
