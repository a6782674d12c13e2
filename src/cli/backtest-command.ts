import { SingleBar } from 'cli-progress';
import type { Daybreak } from '../composition-root.js';
import { type BacktestSummary, runBacktest } from '../track-record/backtest.js';
import { type CliIo, formatMs } from './cli-io.js';
import { formatPct, formatRate } from './track-record-command.js';

export interface BacktestFlags {
  from: string;
  to: string;
  tickers?: string[];
  json?: boolean;
}

/** `daybreak backtest`: replay, grade and store the calls of a range of past dates. Exit 0, or 2 on bad input. */
export async function backtestCommand(app: Daybreak, flags: BacktestFlags, io: CliIo): Promise<number> {
  const log = flags.json ? io.err : io.out;
  let bar: SingleBar | undefined;
  const summary = await runBacktest(
    { store: app.deps.store, registry: app.deps.registry, hasNews: app.deps.newsSource !== null, settings: app.deps.settings },
    { from: flags.from, to: flags.to, ...(flags.tickers && { tickers: flags.tickers }) },
    (p) => {
      if (!io.interactive || flags.json) return;
      if (!bar) {
        bar = new SingleBar({ format: 'backtest [{bar}] {value}/{total} decisions | {date}', stream: process.stderr, hideCursor: true });
        bar.start(p.total, 0, { date: '' });
      }
      bar.update(p.done, { date: p.business_date });
    },
  );
  bar?.stop();
  if (flags.json) io.out(JSON.stringify(summary, null, 2));
  else log(formatBacktest(summary));
  return 0;
}

export function formatBacktest(s: BacktestSummary): string {
  const h = s.hysteresis;
  const lines = [
    `backtest ${s.from}..${s.to}: ${s.decisions} decisions for ${s.tickers.length} ticker(s) in ${formatMs(s.duration_ms)} ` +
      `(${s.decisions_per_s}/s), ${s.stored_calls} calls stored with the baselines (source backtest)`,
    `flip rate (changes per ticker per month): ${formatRate(h.flip_rate.without.changes_per_ticker_month)} without hysteresis, ` +
      `${formatRate(h.flip_rate.with.changes_per_ticker_month)} with`,
    ...h.directional.map(
      (d) =>
        `BUY/SELL hit rate at ${d.horizon} bar(s): ${formatPct(d.without.hit_rate)} (n=${d.without.count}) without hysteresis, ` +
        `${formatPct(d.with.hit_rate)} (n=${d.with.count}) with`,
    ),
    'see `daybreak track-record` for the table with the baselines',
  ];
  return lines.join('\n');
}
