/**
 * `inputs_fingerprint`: a SHA-256 over everything that determines a report, so a job whose inputs have not changed
 * since the latest stored report can carry that report forward instead of drawing the chart and paying for the
 * narrative again (DESIGN §13). Pure: the worker reads the inputs, this only hashes them.
 *
 * What a report is made of, and so what the fingerprint covers (`ReportFingerprintInputs`, one field each):
 * - `bars_digest`: `barsDigest` of every daily bar the store holds for the ticker (date, OHLC, volume), kept by the
 *   store next to the bars and rewritten in the same transaction as any bar (`bar_series`), with `history_bars`, how
 *   many of the newest the report reads (its window through `as_of`, plus the few the held call is replayed over):
 *   the two fix the bars a report reads without reading them, which is what makes checking 1,000 tickers cheap;
 *   `data_source`, the source that wrote the newest bar (it labels demo data in the text and the chart);
 * - `headlines`: every stored headline in the report's news window (title, time, publisher, URL, lede, source), and
 *   `news_window_days` (null when reports go without news). The window's end is the business date's end, so it
 *   moves every day: a report is carried forward while the same headlines fall in the window (the recency part of
 *   their impact scores then stays that of the day the report was made, which its `news_window.end` says);
 * - `peers`: the ticker's peer comparison of the execution (top peers with correlations, returns, volatilities,
 *   medians, sector mates);
 * - `ticker`: its registry row (symbol, Yahoo symbol, name, exchange, currency, sector, type);
 * - `language`, and `writer` with `model`: the CONFIGURED narrative writer (`template`, or `llm` and its model), not
 *   the one that ended up writing, so a report that fell back to the template is still one of the LLM writer;
 * - `fundamentals` and `valuation`: the company info as the report shows it and its P/E against the peers';
 *   `old_company_info`: whether that info is old enough for the report to warn;
 * - `fx_rates`: `barsDigest` of the stored rates of the listing currency's pair against THB (null for THB or when
 *   none are stored): with the bars, they fix the THB view;
 * - `track_record`: the ticker's track-record summary as the report shows it (graded calls before the business
 *   date), so a backtest, a new grade or yesterday's call joining the record is seen. It is hashed apart: the
 *   fingerprint is `sha256:<everything else, with the part of the record the narrative quotes>+<the record shown>`,
 *   so a report whose only change is the record shown is carried forward with the record recomputed (no chart,
 *   no narrative), and one whose narrative would quote another record is made again;
 * - `old_data`: whether the last bar is more than `OLD_DATA_DAYS` before the business date (the report then warns);
 * - `code`: `REPORT_CORE_VERSION` and the quality scorer's version (`QUALITY_SCORER_VERSION`).
 *
 * To add an input (a new data feed): add a field to `ReportFingerprintInputs` and give it in `reportFingerprint`
 * (`src/pipeline/report-inputs.ts`, which both the worker and the bulk check of a run call); the hash takes every
 * field there is. Bump `REPORT_CORE_VERSION` with any change to code that changes what a report says for the same
 * inputs (src/report, src/narrative, the writers' prompts and phrasebooks, the chart).
 */
import { createHash } from 'node:crypto';
import type { Ticker } from '../registry/ticker.js';
import type { DailyBar } from './daily-bar.js';
import type { Fundamentals } from './fundamentals.js';
import type { Valuation } from './valuation.js';
import type { Language } from './narrative-contract.js';
import type { PeerComparison } from './peers.js';
import { QUALITY_SCORER_VERSION } from './quality-scores.js';
import { narrativeTrackRecord, type ReportTrackRecord } from './track-record/report-track-record.js';

/** The version of the code that turns inputs into a report. Bump it when the same inputs should make a new report. */
export const REPORT_CORE_VERSION = 'daybreak-report/2';

export interface FingerprintHeadline {
  title: string;
  published_at: string;
  site: string;
  url: string;
  text: string | null;
  source: string;
}

/** The registry row's own fields (the `active` flag does not change a report). */
export type FingerprintTicker = Omit<Ticker, 'active'>;

export interface ReportFingerprintInputs {
  /** `barsDigest` of the ticker's stored bars. */
  bars_digest: string;
  /** The newest bars the report reads of them. */
  history_bars: number;
  data_source: string;
  headlines: readonly FingerprintHeadline[];
  news_window_days: number | null;
  peers: PeerComparison | null;
  ticker: FingerprintTicker;
  language: Language;
  writer: string;
  model: string | null;
  old_data: boolean;
  /** The company facts, the P/E comparison with the peers and the THB view (DESIGN §11); null where there are none. */
  fundamentals: Fundamentals | null;
  valuation: Valuation;
  old_company_info: boolean;
  /** `barsDigest` of the stored rates of the ticker's pair against THB; null for THB or when none are stored. */
  fx_rates: string | null;
  /** The track-record summary the report shows; null when it shows none. */
  track_record: ReportTrackRecord | null;
  /** Defaults to this build's `{ report_core: REPORT_CORE_VERSION, quality_scorer: QUALITY_SCORER_VERSION }`. */
  code?: Record<string, string>;
}

/**
 * `sha256:<hex>+<hex>` of the inputs: the report's but the track record shown, then that record. Object keys are
 * hashed in sorted order, so the order fields are given in never matters.
 */
export function inputsFingerprint(inputs: ReportFingerprintInputs): string {
  const hash = createHash('sha256');
  const { headlines, ticker, track_record, ...rest } = inputs;
  const all: Record<string, unknown> = {
    ...rest,
    // What the narrative says of the record: a change there is a change of the report, not of its summary table.
    narrative_track_record: narrativeTrackRecord(track_record),
    code: inputs.code ?? { report_core: REPORT_CORE_VERSION, quality_scorer: QUALITY_SCORER_VERSION },
    // The registry row's own fields only (an `active` flag or anything else on the object does not change a report).
    ticker: {
      symbol: ticker.symbol,
      yahooSymbol: ticker.yahooSymbol,
      name: ticker.name,
      exchange: ticker.exchange,
      currency: ticker.currency,
      sector: ticker.sector,
      type: ticker.type,
    },
    // Headlines as a set: the store may return equal timestamps in any order.
    headlines: headlines
      .map((h) => canonical({ title: h.title, published_at: h.published_at, site: h.site, url: h.url, text: h.text, source: h.source }))
      .sort(),
  };
  for (const key of Object.keys(all).sort()) {
    hash.update(key).update('\u0000').update(canonical(all[key])).update('\u0001');
  }
  return `sha256:${hash.digest('hex')}+${createHash('sha256').update(canonical(track_record)).digest('hex')}`;
}

/**
 * Whether a report of fingerprint `stored` may stand for inputs of fingerprint `now` once its track record is
 * recomputed: everything but the record shown is the same (and the record is not).
 */
export function onlyTrackRecordDiffers(stored: string, now: string): boolean {
  const cut = (f: string) => f.slice(0, f.indexOf('+'));
  return stored !== now && stored.includes('+') && cut(stored) === cut(now);
}

/**
 * `sha256:<hex>` of a bar series (ascending dates): what the store keeps per ticker (and FX pair) as its bars'
 * digest. Hashed as text lines without building one big JSON string.
 */
export function barsDigest(bars: Iterable<DailyBar>): string {
  const hash = createHash('sha256');
  for (const b of bars) hash.update(`${b.date},${b.open},${b.high},${b.low},${b.close},${b.volume}\n`);
  return `sha256:${hash.digest('hex')}`;
}

/**
 * `sha256:<hex>` of what a run's peer comparison is computed from: the first date of the closes it reads and each
 * active ticker's registry name, sector and bar digest, in the universe's order, with this build's report core. A
 * later run whose peer inputs have the same digest copies the peer sets instead of correlating 1,000 tickers again.
 */
export function peerInputsDigest(sinceDate: string, universe: readonly { ticker: string; name: string; sector: string | null; bars_digest: string | null }[]): string {
  const hash = createHash('sha256').update(`${REPORT_CORE_VERSION}\u0000${sinceDate}\u0000`);
  for (const t of universe) hash.update(`${canonical([t.ticker, t.name, t.sector, t.bars_digest])}\n`);
  return `sha256:${hash.digest('hex')}`;
}

/** JSON with object keys sorted at every level; `undefined` fields are left out as JSON.stringify does. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}
