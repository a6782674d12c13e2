import type { Daybreak } from '../composition-root.js';
import { marketDataChoice } from '../config.js';
import { InputError } from '../errors.js';
import { bangkokDate, lastBusinessDayOnOrBefore } from '../report/business-date.js';
import { ingestTickers } from '../pipeline/ingest.js';
import { type CliIo, formatMs } from './cli-io.js';

export interface IngestFlags {
  source?: string;
  tickers?: string[];
  json?: boolean;
}

/** `daybreak ingest`: step 1. Exit 0 when every ticker was ingested, 1 when any failed. */
export async function ingestCommand(app: Daybreak, flags: IngestFlags, io: CliIo): Promise<number> {
  let source = app.deps.marketData;
  if (flags.source !== undefined) {
    const parsed = marketDataChoice.safeParse(flags.source);
    if (!parsed.success) throw new InputError(`--source ${parsed.error.issues[0]?.message ?? 'is invalid'}`);
    source = app.marketDataFor(parsed.data);
  }
  const { registry } = app.deps;
  const tickers = flags.tickers ? flags.tickers.map((s) => registry.resolveOrThrow(s)) : registry.active();
  const endDate = lastBusinessDayOnOrBefore(bangkokDate(app.deps.now()));
  const log = flags.json ? io.err : io.out;
  log(`ingesting ${tickers.length} ticker(s) from ${source.name} up to ${endDate}`);
  const started = performance.now();
  const results = await ingestTickers({
    store: app.deps.store,
    source,
    newsSource: app.deps.newsSource,
    tickers,
    endDate,
    today: bangkokDate(app.deps.now()),
    minBars: app.config.HISTORY_BARS,
    concurrency: app.config.INGEST_CONCURRENCY,
    retry: app.deps.settings.retry,
    onTicker: (r) =>
      log(
        r.status === 'ok'
          ? `ok   ${r.ticker.padEnd(12)} ${String(r.bars).padStart(5)} bars to ${r.last_date}` +
              (r.news !== null ? `, ${r.news} headlines` : '') +
              (r.news_error ? `; news unavailable: ${r.news_error}` : '')
          : `FAIL ${r.ticker.padEnd(12)} ${r.error}`,
      ),
  });
  const failed = results.filter((r) => r.status === 'failed');
  if (flags.json) {
    io.out(JSON.stringify({ source: source.name, end_date: endDate, total: results.length, failed: failed.length, results }, null, 2));
  } else {
    io.out(`ingested ${results.length - failed.length}/${results.length} ticker(s) from ${source.name} in ${formatMs(performance.now() - started)}` +
      (failed.length ? `; ${failed.length} failed: ${failed.map((f) => f.ticker).join(', ')}` : ''));
  }
  return failed.length === 0 ? 0 : 1;
}
