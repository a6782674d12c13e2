/**
 * `inputs_fingerprint`: a SHA-256 over everything that determines a report, so a job whose inputs have not changed
 * since the latest stored report can carry that report forward instead of drawing the chart and paying for the
 * narrative again (DESIGN §13). Pure: the worker reads the inputs, this only hashes them.
 *
 * What a report is made of, and so what the fingerprint covers (`ReportFingerprintInputs`, one field each):
 * - `bars`: every daily bar the report reads (date, OHLC, volume; the newest `HISTORY_BARS` through `as_of` and the
 *   few before them that the held call is replayed over), and
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
 * - `fundamentals`, `valuation` and `fx`: the company info as the report shows it, its P/E against the peers' and the
 *   listing currency's rates against THB over the report's month;
 * - `old_data`: whether the last bar is more than `OLD_DATA_DAYS` before the business date (the report then warns);
 * - `code`: `REPORT_CORE_VERSION` and the quality scorer's version (`QUALITY_SCORER_VERSION`).
 *
 * To add an input (fundamentals and FX, a new data feed): add a field to `ReportFingerprintInputs` and give it in
 * `readReportInputs` (`src/pipeline/report-inputs.ts`, where it calls `inputsFingerprint`); the hash takes every field there is.
 * Bump `REPORT_CORE_VERSION` with any change to code that changes what a report says for the same inputs
 * (src/report, src/narrative, the writers' prompts and phrasebooks, the chart).
 */
import { createHash } from 'node:crypto';
import type { Ticker } from '../registry/ticker.js';
import type { DailyBar } from './daily-bar.js';
import type { Fundamentals } from './fundamentals.js';
import type { FxView } from './fx-view.js';
import type { Valuation } from './valuation.js';
import type { Language } from './narrative-contract.js';
import type { PeerComparison } from './peers.js';
import { QUALITY_SCORER_VERSION } from './quality-scores.js';

/** The version of the code that turns inputs into a report. Bump it when the same inputs should make a new report. */
export const REPORT_CORE_VERSION = 'daybreak-report/1';

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
  bars: readonly DailyBar[];
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
  fx: FxView | null;
  /** Defaults to this build's `{ report_core: REPORT_CORE_VERSION, quality_scorer: QUALITY_SCORER_VERSION }`. */
  code?: Record<string, string>;
}

/** `sha256:<hex>` of the inputs. Object keys are hashed in sorted order, so the order fields are given in never matters. */
export function inputsFingerprint(inputs: ReportFingerprintInputs): string {
  const hash = createHash('sha256');
  const { bars, headlines, ticker, ...rest } = inputs;
  const all: Record<string, unknown> = {
    ...rest,
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
  // Bars are the bulk (600 × 6 numbers): hashed as text lines without building one big JSON string.
  hash.update('bars\u0000');
  for (const b of bars) hash.update(`${b.date},${b.open},${b.high},${b.low},${b.close},${b.volume}\n`);
  return `sha256:${hash.digest('hex')}`;
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

/** JSON with object keys sorted at every level; `undefined` fields are left out as JSON.stringify does. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}
