/**
 * The track record's part in making a live report (the I/O edge for the report worker):
 * - the call held over the preceding bars (hysteresis), replayed from the store's history with the same pure code a
 *   backtest uses, so a live report and a replay made from the same history agree whatever reports are stored;
 * - recording the report's call, to be graded as later bars arrive.
 */
import type { Ticker } from '../registry/ticker.js';
import { addDays } from '../report/business-date.js';
import type { DailyBar } from '../report/daily-bar.js';
import type { Language } from '../report/narrative-contract.js';
import type { Report } from '../report/report.js';
import { type HeldCall, holdCall, HYSTERESIS_LOOKBACK_BARS } from '../report/semantic-states.js';
import { endOfBangkokDayMs } from '../sources/news-source.js';
import type { Store } from '../store/store.js';
import { PEER_CLOSES_DAYS, PeerTimeline, precedingEvidence } from '../report/track-record/replay-decisions.js';
import { reportTrackRecord, type ReportTrackRecord } from '../report/track-record/report-track-record.js';

export interface LiveCallDeps {
  store: Store;
  /** The active universe the run computes peers across. */
  universe: () => Ticker[];
  hasNews: boolean;
  settings: { historyBars: number; newsWindowDays: number; language: Language };
}

/** Bars the report worker reads: its history window plus the bars the held call is replayed over. */
export function barsToRead(historyBars: number): number {
  return historyBars + HYSTERESIS_LOOKBACK_BARS;
}

const KEPT_EXECUTIONS = 4;

export function createLiveCalls(deps: LiveCallDeps) {
  // One peer timeline per execution and process: every report of a run replays the same few dates.
  const timelines = new Map<string, Promise<PeerTimeline>>();
  const timelineOf = (executionId: string, businessDate: string) => {
    let timeline = timelines.get(executionId);
    if (!timeline) {
      const tickers = deps.universe();
      // Far enough back for the 120-day peer window of the preceding bars, stale tickers included.
      timeline = deps.store
        .getClosesSince(tickers.map((t) => t.symbol), addDays(businessDate, -(PEER_CLOSES_DAYS + 90)))
        .then((closes) => new PeerTimeline(tickers.map((t) => ({ ticker: t, bars: closes.get(t.symbol) ?? [] }))));
      timelines.set(executionId, timeline);
      if (timelines.size > KEPT_EXECUTIONS) timelines.delete(timelines.keys().next().value!);
    }
    return timeline;
  };

  return {
    /** The call held over the bars before the last of `bars` (which holds `barsToRead` bars at most). */
    async heldCall(ticker: Ticker, bars: readonly DailyBar[], executionId: string, businessDate: string): Promise<HeldCall | undefined> {
      const end = bars.length - 1;
      if (end < 1) return undefined;
      const first = bars[Math.max(0, end - HYSTERESIS_LOOKBACK_BARS)]!.date;
      const headlines = deps.hasNews
        ? await deps.store.getNews(
            ticker.symbol,
            new Date(endOfBangkokDayMs(first) - (deps.settings.newsWindowDays + 1) * 86_400_000).toISOString(),
            new Date(endOfBangkokDayMs(bars[end - 1]!.date)).toISOString(),
            100_000,
          )
        : null;
      const timeline = await timelineOf(executionId, businessDate);
      return holdCall(precedingEvidence({ ticker, bars, headlines }, end, (date) => timeline.tableFor(date), deps.settings));
    },

    /** Stores the report's call (ungraded: its forward bars arrive with later ingests). */
    async recordCall(report: Report, score: number, source: string): Promise<void> {
      await deps.store.saveReportCall({
        ticker: report.ticker,
        business_date: report.business_date,
        as_of: report.as_of,
        source,
        origin: 'report',
        strategy: 'daybreak',
        recommendation: report.recommendation,
        stance: report.stance,
        confidence: report.confidence,
        score,
        close: report.price,
        returns: { d1: null, d5: null, d21: null },
        excess: { d1: null, d5: null, d21: null },
        hit: { d1: null, d5: null, d21: null },
      });
    },
  };
}
