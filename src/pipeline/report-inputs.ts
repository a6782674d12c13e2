import type { Ticker } from '../registry/ticker.js';
import { inputsFingerprint } from '../report/inputs-fingerprint.js';
import type { PeerComparison } from '../report/peers.js';
import { OLD_DATA_DAYS } from '../report/report.js';
import { endOfBangkokDayMs } from '../sources/news-source.js';
import type { StoredBars, StoredHeadline } from '../store/store.js';
import type { PipelineDeps } from './pipeline-deps.js';

export interface ReportInputsRead {
  bars: StoredBars;
  /** The stored headlines of the report's news window; null when reports go without news. */
  news: { windowEnd: string; headlines: StoredHeadline[] } | null;
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
  const bars = await stage('read_bars', () => store.getDailyBars(ticker.symbol, settings.historyBars));
  if (!bars) return undefined;
  const news = await stage('news', async () => {
    if (!deps.newsSource) return null;
    const windowEnd = new Date(endOfBangkokDayMs(businessDate)).toISOString();
    const since = new Date(Date.parse(windowEnd) - settings.newsWindowDays * 86_400_000).toISOString();
    return { windowEnd, headlines: await store.getNews(ticker.symbol, since, windowEnd, 500) };
  });
  const lastBar = bars.bars.at(-1)!;
  // Every input of a report, as listed in report/inputs-fingerprint.ts: new inputs (fundamentals, FX) are added here.
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
  });
  return { bars, news, fingerprint };
}
