/**
 * `daybreak backtest`: replays the report's decision over a range of past dates, grades the calls and the four
 * baselines' calls on the same dates, and stores them (`source: "backtest"`), replacing any earlier backtest of that
 * range. Reads each ticker's bars (and headlines) once; the replay itself is pure.
 */
import { InputError } from '../errors.js';
import type { Ticker } from '../registry/ticker.js';
import type { TickerRegistry } from '../registry/ticker-registry.js';
import { addDays, isIsoDate } from '../report/business-date.js';
import type { DailyBar } from '../report/daily-bar.js';
import type { Confidence, Language, Recommendation, Stance } from '../report/narrative-contract.js';
import type { Store } from '../store/store.js';
import { BASELINE_RULES, BASELINES, type Baseline, baselineCalls } from '../report/track-record/baselines.js';
import type { StoredCall } from '../report/track-record/call-store.js';
import { forwardGrades, hitsOf, HORIZON_KEYS, HORIZONS, type PerHorizon, type PriceSeries, UniverseReturns } from '../report/track-record/grade-calls.js';
import { gradeStoredCalls } from './grade-stored-calls.js';
import { type ReplayMember, replayDecisions } from '../report/track-record/replay-decisions.js';
import {
  directionalRecords,
  type DirectionalRecord,
  type FlipRate,
  flipRate,
  type Strategy,
  summarizeCalls,
  type SummaryRow,
  verdictAgainstBaselines,
  type VerdictRow,
} from '../report/track-record/summarize-track-record.js';

export interface BacktestDeps {
  store: Store;
  registry: TickerRegistry;
  /** True when a news source is configured: reports then carry the stored headlines of their window. */
  hasNews: boolean;
  settings: { historyBars: number; newsWindowDays: number; language: Language };
}

export interface BacktestRequest {
  from: string;
  to: string;
  tickers?: string[];
}

export interface BacktestProgress {
  done: number;
  total: number;
  business_date: string;
}

export interface BacktestSummary {
  from: string;
  to: string;
  tickers: string[];
  decisions: number;
  stored_calls: number;
  duration_ms: number;
  decisions_per_s: number;
  summary: SummaryRow[];
  baselines: { strategy: Baseline; rule: string; summary: SummaryRow[] }[];
  verdict: VerdictRow[];
  /** The same replay with and without hysteresis: how often the call changes, and how often BUY/SELL calls hit. */
  hysteresis: {
    flip_rate: { without: FlipRate; with: FlipRate };
    directional: { horizon: number; without: DirectionalRecord; with: DirectionalRecord }[];
  };
}

const ALL_BARS = 1_000_000;

function seriesOf(bars: readonly DailyBar[]): PriceSeries {
  return { dates: bars.map((b) => b.date), closes: Float64Array.from(bars, (b) => b.close) };
}

/** Checks the range and the tickers, and reads every ticker's stored history once. Bad input is an InputError. */
async function loadHistory(deps: BacktestDeps, request: BacktestRequest) {
  for (const [flag, value] of [['--from', request.from], ['--to', request.to]] as const) {
    if (!isIsoDate(value)) throw new InputError(`${flag} must be a date YYYY-MM-DD, got "${value}"`, { [flag.slice(2)]: value });
  }
  if (request.from > request.to) {
    throw new InputError(`--from ${request.from} is after --to ${request.to}`, { from: request.from, to: request.to });
  }
  let selected = request.tickers?.length
    ? [...new Map(request.tickers.map((s) => deps.registry.resolveOrThrow(s)).map((t) => [t.symbol, t])).values()]
    : deps.registry.active();
  if (selected.length === 0) throw new InputError('no tickers to replay');
  const universe = new Map<string, Ticker>(deps.registry.active().map((t) => [t.symbol, t]));
  for (const t of selected) universe.set(t.symbol, t);

  const bars = new Map<string, DailyBar[]>();
  for (const t of universe.values()) {
    const stored = await deps.store.getDailyBars(t.symbol, ALL_BARS);
    if (stored) bars.set(t.symbol, stored.bars);
  }
  // Without --tickers, the active tickers that have history; a ticker asked for by name must have some.
  if (!request.tickers?.length) selected = selected.filter((t) => bars.has(t.symbol));
  if (selected.length === 0) throw new InputError('no bars stored for any active ticker: run `daybreak ingest` first');
  const missing = selected.filter((t) => !bars.has(t.symbol)).map((t) => t.symbol);
  if (missing.length > 0) {
    throw new InputError(`no bars stored for ${missing.join(', ')}: run \`daybreak ingest --tickers ${missing.join(',')}\` first`, { tickers: missing });
  }
  const inRange = selected.filter((t) => bars.get(t.symbol)!.some((b) => b.date >= request.from && b.date <= request.to));
  if (inRange.length === 0) {
    const spans = selected.slice(0, 5).map((t) => {
      const b = bars.get(t.symbol)!;
      return `${t.symbol} ${b[0]!.date}..${b[b.length - 1]!.date}`;
    });
    throw new InputError(
      `no stored bar between ${request.from} and ${request.to}: the stored history is ${spans.join(', ')}${selected.length > 5 ? ', …' : ''}`,
      { from: request.from, to: request.to },
    );
  }

  const members: ReplayMember[] = [];
  for (const t of inRange) {
    const headlines = deps.hasNews
      ? await deps.store.getNews(
          t.symbol,
          `${addDays(request.from, -(HISTORY_NEWS_MARGIN_DAYS + deps.settings.newsWindowDays))}T00:00:00.000Z`,
          `${addDays(request.to, 1)}T23:59:59.999Z`,
          ALL_BARS,
        )
      : null;
    members.push({ ticker: t, bars: bars.get(t.symbol)!, headlines });
  }
  const universeMembers = [...universe.values()].filter((t) => bars.has(t.symbol)).map((t) => ({ ticker: t, bars: bars.get(t.symbol)! }));
  return { members, universeMembers };
}

/** Headlines read before the range: the news windows of the hysteresis bars before `from` reach this far back. */
const HISTORY_NEWS_MARGIN_DAYS = 31;

export async function runBacktest(
  deps: BacktestDeps,
  request: BacktestRequest,
  onProgress: (p: BacktestProgress) => void = () => {},
  clock: () => number = () => performance.now(),
): Promise<BacktestSummary> {
  const { members, universeMembers } = await loadHistory(deps, request);
  const started = clock();
  // Both lists hold the same bar arrays (loadHistory), so each ticker's price series is built once.
  const seriesBySymbol = new Map(universeMembers.map((m) => [m.ticker.symbol, seriesOf(m.bars)]));
  const universe = new UniverseReturns(seriesBySymbol);
  const bySymbol = new Map(
    members.map((m) => [
      m.ticker.symbol,
      { series: seriesBySymbol.get(m.ticker.symbol) ?? seriesOf(m.bars), baselines: baselineCalls(m.bars), index: new Map(m.bars.map((b, i) => [b.date, i])), calls: [] as StoredCall[] },
    ]),
  );
  const total = members.reduce((n, m) => n + m.bars.filter((b) => b.date >= request.from && b.date <= request.to).length, 0);

  const raw: StoredCall[] = [];
  const held: StoredCall[] = [];
  const baselineGraded = new Map<Baseline, StoredCall[]>(BASELINES.map((b) => [b, []]));
  let done = 0;
  for (const d of replayDecisions(members, universeMembers, request, deps.settings)) {
    const own = bySymbol.get(d.ticker)!;
    const index = own.index.get(d.as_of)!;
    // Every call of this ticker and date has the same forward returns: computed once, shared by its six calls.
    const { returns, excess } = forwardGrades(d.ticker, d.as_of, universe, { s: own.series, index });
    const hits = new Map<Recommendation, PerHorizon<boolean | null>>();
    const call = (strategy: Strategy, recommendation: Recommendation, stance: Stance | null, confidence: Confidence | null, score: number | null): StoredCall => {
      let hit = hits.get(recommendation);
      if (!hit) hits.set(recommendation, (hit = hitsOf(recommendation, returns)));
      // One literal, one shape for every call (the summaries loop over ~170,000 of them).
      return {
        ticker: d.ticker,
        business_date: d.business_date,
        as_of: d.as_of,
        source: 'backtest',
        strategy,
        recommendation,
        stance,
        confidence,
        close: d.close,
        returns,
        excess,
        hit,
        origin: 'backtest',
        score,
      };
    };
    const daybreak = call('daybreak', d.decision.recommendation, d.decision.stance, d.decision.confidence, d.decision.score);
    own.calls.push(daybreak);
    held.push(daybreak);
    raw.push(call('daybreak', d.raw.recommendation, d.raw.stance, d.raw.confidence, d.decision.score));
    for (const strategy of BASELINES) {
      const recommendation = own.baselines[strategy][index];
      if (!recommendation) continue;
      const b = call(strategy, recommendation, null, null, null);
      own.calls.push(b);
      baselineGraded.get(strategy)!.push(b);
    }
    done++;
    if (done % 250 === 0 || done === total) onProgress({ done, total, business_date: d.business_date });
  }

  // Ticker by ticker, dates ascending: close to the table's key order, so SQLite appends to its index pages instead of
  // scattering the rows of each date over all of them.
  const stored = members.flatMap((m) => bySymbol.get(m.ticker.symbol)!.calls);
  await deps.store.replaceBacktestCalls({ tickers: members.map((m) => m.ticker.symbol), from: request.from, to: request.to }, stored);
  // Calls of live reports made inside the range can be graded now from the same bars.
  await gradeStoredCalls(deps.store);
  const duration = clock() - started;
  const rawDirectional = directionalRecords(raw);
  const heldDirectional = directionalRecords(held);
  return {
    from: request.from,
    to: request.to,
    tickers: members.map((m) => m.ticker.symbol),
    decisions: held.length,
    stored_calls: stored.length,
    duration_ms: Math.round(duration),
    decisions_per_s: duration > 0 ? Math.round((held.length / duration) * 1000) : 0,
    summary: summarizeCalls(held),
    baselines: BASELINES.map((strategy) => ({ strategy, rule: BASELINE_RULES[strategy], summary: summarizeCalls(baselineGraded.get(strategy)!) })),
    verdict: verdictAgainstBaselines(held, baselineGraded),
    hysteresis: {
      flip_rate: { without: flipRate(raw), with: flipRate(held) },
      directional: HORIZON_KEYS.map((key) => ({ horizon: HORIZONS[key], without: rawDirectional[key], with: heldDirectional[key] })),
    },
  };
}
