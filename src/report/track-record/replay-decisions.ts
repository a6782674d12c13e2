/**
 * The decision a report would have made on past dates, replayed from stored history. Pure: every input is given.
 *
 * For a business date D a replayed ticker sees exactly what a report made on D from a store truncated at D would
 * see: its last `historyBars` bars on or before D, the headlines of the news window ending with D, and the peer
 * table computed across the whole universe from closes on or before D. The decision is then made by the report's
 * own code (`narrativeInputsOf` → `deriveSemanticStates` → `decideStance`), never by a copy of its rules.
 */
import type { Ticker } from '../../registry/ticker.js';
import { addDays, endOfBangkokDayMs } from '../business-date.js';
import type { DailyBar } from '../daily-bar.js';
import type { Language, SemanticStates } from '../narrative-contract.js';
import { narrativeInputsOf } from '../narrative-inputs.js';
import { analyzeNews, type NewsHeadlineInput } from '../news-analysis.js';
import { comparePeersAcrossUniverse, type PeerComparison } from '../peers.js';
import type { NewsSection } from '../report.js';
import {
  callFromEvidence,
  type CallOutcome,
  decideStance,
  deriveSemanticStates,
  holdCall,
  HYSTERESIS_LOOKBACK_BARS,
  type StanceDecision,
  type StanceEvidence,
  weighStates,
} from '../semantic-states.js';
import { analyzeTechnicals } from '../technical-analysis.js';

/** What the report worker reads and keeps: the newest headlines of the window, at most this many, and the top few. */
export const NEWS_READ_LIMIT = 500;
export const NEWS_ITEMS = 5;
/** Calendar days of closes the peer table is computed from (holds the 61 closes of its window across holidays). */
export const PEER_CLOSES_DAYS = 120;

export interface ReplayMember {
  ticker: Ticker;
  /** The ticker's whole stored history, ascending. */
  bars: readonly DailyBar[];
  /** Stored headlines, any order; null when no news source is configured (reports then carry no news at all). */
  headlines: readonly NewsHeadlineInput[] | null;
}

export interface DecisionSettings {
  historyBars: number;
  newsWindowDays: number;
  language: Language;
}

export interface ReplayedDecision {
  ticker: string;
  /** The business date the decision belongs to (= the date of its last bar in a replay). */
  business_date: string;
  as_of: string;
  close: number;
  states: SemanticStates;
  /** The call without hysteresis: what this bar's evidence alone says. */
  raw: CallOutcome;
  /** The call as a report makes it: with the call held over the preceding bars (hysteresis). */
  decision: StanceDecision;
}

/** Index of the last item dated on or before `date` in an ascending list, or −1 (binary search). */
export function lastIndexOnOrBefore<T>(items: readonly T[], date: string, dateOf: (item: T) => string): number {
  let lo = 0;
  let hi = items.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (dateOf(items[mid]!) <= date) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

const barDate = (b: { date: string }) => b.date;

/** News sorted newest first once, so each date's window is a slice (what `store.getNews` returns). */
export class NewsTimeline {
  private readonly sorted: (NewsHeadlineInput & { at: number })[];
  constructor(headlines: readonly NewsHeadlineInput[]) {
    this.sorted = headlines.map((h) => ({ ...h, at: Date.parse(h.published_at) })).sort((a, b) => b.at - a.at);
  }

  /** The news section a report of business date `date` gets: the newest ≤ 500 headlines of its window, analysed. */
  sectionFor(date: string, windowDays: number): NewsSection {
    const end = endOfBangkokDayMs(date);
    const windowEnd = new Date(end).toISOString();
    const since = end - windowDays * 86_400_000;
    const inWindow: NewsHeadlineInput[] = [];
    for (const h of this.sorted) {
      if (h.at > end) continue;
      if (h.at < since || inWindow.length >= NEWS_READ_LIMIT) break;
      inWindow.push(h);
    }
    return analyzeNews(inWindow, { windowEnd, windowDays, maxItems: NEWS_ITEMS });
  }
}

/** Peer tables by date across the universe, from closes in the 120 days up to that date (each computed once). */
export class PeerTimeline {
  private readonly closes: { ticker: Ticker; closes: readonly { date: string; close: number }[] }[];
  private readonly tables = new Map<string, Map<string, PeerComparison>>();
  constructor(universe: readonly { ticker: Ticker; bars: readonly { date: string; close: number }[] }[]) {
    this.closes = universe.map((m) => ({ ticker: m.ticker, closes: m.bars }));
  }

  tableFor(date: string): Map<string, PeerComparison> {
    let table = this.tables.get(date);
    if (table) return table;
    const since = addDays(date, -PEER_CLOSES_DAYS);
    table = comparePeersAcrossUniverse(
      this.closes.map(({ ticker, closes }) => {
        const end = lastIndexOnOrBefore(closes, date, barDate) + 1;
        let start = end;
        while (start > 0 && closes[start - 1]!.date >= since) start--;
        return { ticker: ticker.symbol, name: ticker.name, sector: ticker.sector, closes: closes.slice(start, end) };
      }),
    );
    // A replay walks forward through the dates: only the live report's few preceding dates are asked twice.
    if (this.tables.size > 64) this.tables.clear();
    this.tables.set(date, table);
    return table;
  }
}

/**
 * The semantic states of a report of business date `date` for one ticker, from its bars up to `endIndex` (the last
 * bar on or before `date`), the date's news section and the date's peer table: what the report worker derives.
 */
export function statesAt(
  member: ReplayMember,
  endIndex: number,
  news: NewsSection | null,
  peers: Map<string, PeerComparison>,
  settings: DecisionSettings,
): { as_of: string; close: number; states: SemanticStates } {
  const window = member.bars.slice(Math.max(0, endIndex + 1 - settings.historyBars), endIndex + 1);
  const technicals = analyzeTechnicals(window);
  const peer = peers.get(member.ticker.symbol);
  const inputs = narrativeInputsOf({
    ticker: member.ticker,
    technicals,
    news,
    peers: peer && peer.top.length > 0 ? peer : null,
    dataSource: '',
    language: settings.language,
  });
  return { as_of: technicals.as_of, close: technicals.price, states: deriveSemanticStates(inputs) };
}

/**
 * The evidence of the HYSTERESIS_LOOKBACK_BARS bars before bar `endIndex`, each as a report of that bar's date would
 * have weighed it: the input of `holdCall` for a report whose last bar is `endIndex`.
 */
export function precedingEvidence(
  member: ReplayMember,
  endIndex: number,
  peersAt: (date: string) => Map<string, PeerComparison>,
  settings: DecisionSettings,
): StanceEvidence[] {
  const news = member.headlines ? new NewsTimeline(member.headlines) : null;
  const evidence: StanceEvidence[] = [];
  for (let j = Math.max(0, endIndex - HYSTERESIS_LOOKBACK_BARS); j < endIndex; j++) {
    const date = member.bars[j]!.date;
    evidence.push(weighStates(statesAt(member, j, news?.sectionFor(date, settings.newsWindowDays) ?? null, peersAt(date), settings).states));
  }
  return evidence;
}

/**
 * Every date in [from, to] on which at least one of the replayed tickers has a bar, ascending. A ticker gets a call
 * on the dates it has a bar of its own: on its holidays a report would repeat the previous bar's call.
 */
export function replayCalendar(members: readonly ReplayMember[], from: string, to: string): string[] {
  const dates = new Set<string>();
  for (const m of members) for (const b of m.bars) if (b.date >= from && b.date <= to) dates.add(b.date);
  return [...dates].sort();
}

/**
 * Replays the decision of every replayed ticker on every date of the range, in date order. `universe` is every
 * active ticker (the peer table is computed across all of them, as a run does); `members` the ones to replay.
 * Each ticker's bars from HYSTERESIS_LOOKBACK_BARS before the range are weighed too (not yielded), so the first
 * calls of the range are held exactly as a report's would be.
 */
export function* replayDecisions(
  members: readonly ReplayMember[],
  universe: readonly { ticker: Ticker; bars: readonly DailyBar[] }[],
  range: { from: string; to: string },
  settings: DecisionSettings,
): Generator<ReplayedDecision> {
  const peers = new PeerTimeline(universe);
  const news = members.map((m) => (m.headlines ? new NewsTimeline(m.headlines) : null));
  const next = members.map((m) => {
    const last = lastIndexOnOrBefore(m.bars, range.from, barDate);
    const first = last >= 0 && m.bars[last]!.date === range.from ? last : last + 1;
    return Math.max(0, first - HYSTERESIS_LOOKBACK_BARS);
  });
  const held: StanceEvidence[][] = members.map(() => []);
  const warmUpFrom = members.reduce((min, m, k) => (next[k]! < m.bars.length && m.bars[next[k]!]!.date < min ? m.bars[next[k]!]!.date : min), range.from);
  for (const date of replayCalendar(members, warmUpFrom, range.to)) {
    let table: Map<string, PeerComparison> | undefined;
    for (let k = 0; k < members.length; k++) {
      const m = members[k]!;
      const i = next[k]!;
      if (i >= m.bars.length || m.bars[i]!.date !== date) continue;
      next[k] = i + 1;
      table ??= peers.tableFor(date);
      const at = statesAt(m, i, news[k]?.sectionFor(date, settings.newsWindowDays) ?? null, table, settings);
      const evidence = weighStates(at.states);
      const preceding = held[k]!;
      if (date >= range.from) {
        yield {
          ticker: m.ticker.symbol,
          business_date: date,
          ...at,
          raw: callFromEvidence(evidence),
          decision: decideStance(at.states, holdCall(preceding)),
        };
      }
      preceding.push(evidence);
      if (preceding.length > HYSTERESIS_LOOKBACK_BARS) preceding.shift();
    }
  }
}
