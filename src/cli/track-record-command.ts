import type { Daybreak } from '../composition-root.js';
import { InputError } from '../errors.js';
import { HORIZONS } from '../report/track-record/grade-calls.js';
import type { SummaryRow } from '../report/track-record/summarize-track-record.js';
import { buildTrackRecord, type TrackRecord } from '../report/track-record/track-record.js';
import { type CliIo, formatTable } from './cli-io.js';

export interface TrackRecordFlags {
  horizon?: string;
  json?: boolean;
}

export const formatPct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
export const formatRate = (x: number | null) => (x === null ? '—' : x.toFixed(2));
const signed = (x: number | null) => (x === null ? '—' : `${x >= 0 ? '+' : ''}${x.toFixed(2)}%`);
const interval = (ci: [number, number] | null) => (ci ? `${(ci[0] * 100).toFixed(1)}–${(ci[1] * 100).toFixed(1)}%` : '—');

export function parseHorizon(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const h = Number(value);
  if (!(Object.values(HORIZONS) as number[]).includes(h)) throw new InputError(`--horizon must be 1, 5 or 21 (trading bars), got "${value}"`);
  return h;
}

/** `daybreak track-record [SYMBOL]`: the graded calls' summary with the baselines side by side. */
export async function trackRecordCommand(app: Daybreak, symbol: string | undefined, flags: TrackRecordFlags, io: CliIo): Promise<number> {
  const horizon = parseHorizon(flags.horizon);
  const ticker = symbol === undefined ? undefined : app.deps.registry.resolveOrThrow(symbol).symbol;
  const calls = await app.deps.store.listCalls(ticker ? { tickers: [ticker] } : {});
  const record = buildTrackRecord(calls, { ...(ticker && { ticker }), ...(horizon !== undefined && { horizon }) });
  if (flags.json) {
    io.out(JSON.stringify(record, null, 2));
    return 0;
  }
  if (record.sample_size === 0) {
    io.out(`no calls recorded${ticker ? ` for ${ticker}` : ''} yet: run \`daybreak backtest --from DATE --to DATE\` (or precompute reports and ingest later bars)`);
    return 0;
  }
  io.out(formatTrackRecord(record));
  return 0;
}

function summaryRows(strategy: string, rows: SummaryRow[]): (string | number)[][] {
  return rows.map((r) => [strategy, r.recommendation, r.horizon, r.count, formatPct(r.hit_rate), interval(r.hit_rate_ci95), signed(r.mean_return_pct), signed(r.mean_excess_pct)]);
}

export function formatTrackRecord(r: TrackRecord): string {
  const verdict = r.verdict.map((v) => [
    v.horizon,
    v.baseline,
    `${formatPct(v.daybreak.hit_rate)} (${interval(v.daybreak.hit_rate_ci95)})`,
    `${formatPct(v.baseline_record.hit_rate)} (${interval(v.baseline_record.hit_rate_ci95)})`,
    `${signed(v.daybreak.mean_directional_excess_pct)} vs ${signed(v.baseline_record.mean_directional_excess_pct)}`,
    v.outcome.replaceAll('_', ' '),
  ]);
  return [
    `track record${r.ticker ? ` of ${r.ticker}` : ''}: ${r.sample_size} Daybreak calls from ${r.from} to ${r.to}`,
    r.grading,
    '',
    formatTable(
      ['strategy', 'call', 'bars', 'n', 'hit rate', '95% interval', 'mean return', 'mean excess'],
      [...summaryRows('daybreak', r.summary), ...r.baselines.flatMap((b) => summaryRows(b.strategy, b.summary))],
    ),
    '',
    'Daybreak vs the baselines (BUY and SELL calls pooled; excess in the call\'s direction):',
    formatTable(['bars', 'baseline', 'daybreak hit rate', 'baseline hit rate', 'directional excess', 'daybreak is'], verdict),
    '',
    'Calibration (BUY and SELL calls by confidence):',
    formatTable(['confidence', 'bars', 'n', 'hit rate', '95% interval'], r.calibration.map((c) => [c.confidence, c.horizon, c.count, formatPct(c.hit_rate), interval(c.hit_rate_ci95)])),
    '',
    `flip rate: ${formatRate(r.flip_rate.changes_per_ticker_month)} changes of call per ticker per month (${r.flip_rate.changes} over ${r.flip_rate.ticker_months.toFixed(1)} ticker-months)`,
  ].join('\n');
}
