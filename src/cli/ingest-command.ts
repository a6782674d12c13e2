import type { Daybreak } from '../composition-root.js';
import { marketDataChoice } from '../config.js';
import { InputError } from '../errors.js';
import { bangkokDate, lastBusinessDayOnOrBefore } from '../report/business-date.js';
import { ingestFxPairs, ingestTickers } from '../pipeline/ingest.js';
import { companyInfoOf } from '../sources/company-info.js';
import { fxPairsFor } from '../sources/fx-pairs.js';
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
  const common = {
    store: app.deps.store,
    source,
    endDate,
    minBars: app.config.HISTORY_BARS,
    concurrency: app.config.INGEST_CONCURRENCY,
    retry: app.deps.settings.retry,
  };
  const [results, fx] = await Promise.all([
    ingestTickers({
      ...common,
      newsSource: app.deps.newsSource,
      companyInfo: companyInfoOf(source),
      tickers,
      today: bangkokDate(app.deps.now()),
      onTicker: (r) =>
        log(
          r.status === 'ok'
            ? `ok   ${r.ticker.padEnd(12)} ${String(r.bars).padStart(5)} bars to ${r.last_date}` +
                (r.news !== null ? `, ${r.news} headlines` : '') +
                (r.company_info === 'ok' ? ', company info' : '') +
                (r.news_error ? `; news unavailable: ${r.news_error}` : '') +
                (r.company_info_error ? `; company info unavailable: ${r.company_info_error}` : '')
            : `FAIL ${r.ticker.padEnd(12)} ${r.error}`,
        ),
    }),
    // The THB view needs each listing currency against the baht; a pair that fails is a warning, not a failure.
    ingestFxPairs({
      ...common,
      pairs: fxPairsFor(tickers),
      onPair: (r) =>
        log(r.status === 'ok' ? `ok   ${r.pair.padEnd(12)} ${String(r.bars).padStart(5)} rates to ${r.last_date}` : `warn ${r.pair.padEnd(12)} FX unavailable: ${r.error}`),
    }),
  ]);
  const failed = results.filter((r) => r.status === 'failed');
  if (flags.json) {
    io.out(JSON.stringify({ source: source.name, end_date: endDate, total: results.length, failed: failed.length, results, fx }, null, 2));
  } else {
    io.out(`ingested ${results.length - failed.length}/${results.length} ticker(s) from ${source.name} in ${formatMs(performance.now() - started)}` +
      (failed.length ? `; ${failed.length} failed: ${failed.map((f) => f.ticker).join(', ')}` : ''));
  }
  return failed.length === 0 ? 0 : 1;
}
