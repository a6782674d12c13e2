/**
 * What a static snapshot holds besides the web page: one entry per kind of file, each yielding its files under the
 * snapshot's root. The JSON is what the live API answers for the same request (the same functions make both), except
 * that `chart_url` is relative to the snapshot's root. A feature with a read endpoint of its own adds its file here
 * as one more entry (`api/v1/brief.json`, `api/v1/track-record.json`) and teaches the page's `snapshotFile()` in
 * `src/http/web/api.js` where it lives.
 */
import { briefOfExecution, latestDeliverableExecution } from '../delivery/deliver.js';
import { rankingBody, RANKING_CATEGORIES, tickersBody } from '../http/market-routes.js';
import { DEFAULT_UNIVERSE_CALLS } from '../http/track-record-routes.js';
import { buildTrackRecord } from '../report/track-record/track-record.js';
import type { ReportCache } from '../http/report-cache.js';
import type { TickerRegistry } from '../registry/ticker-registry.js';
import type { Language } from '../report/narrative-contract.js';
import type { Store } from '../store/store.js';

export interface SnapshotContext {
  store: Store;
  registry: TickerRegistry;
  /** The latest report of every ticker, loaded. */
  cache: ReportCache;
  exportedAt: string;
  /** REPORT_LANGUAGE: the language of the brief, as `GET /api/v1/brief` answers by default. */
  language: Language;
}

export interface SnapshotFile {
  /** Relative to the snapshot's root, `/`-separated. */
  path: string;
  body: string | Uint8Array;
}

export interface SnapshotSource {
  name: string;
  files: (ctx: SnapshotContext) => AsyncIterable<SnapshotFile>;
}

/** Rankings in the snapshot hold as many items as the API's largest page. */
const RANKING_LIMIT = 50;

export const snapshotReportPath = (ticker: string) => `api/v1/reports/${ticker}.json`;
export const snapshotChartPath = (ticker: string) => `api/v1/reports/${ticker}/chart.png`;

const json = (value: unknown) => `${JSON.stringify(value)}\n`;

export const SNAPSHOT_FILES: SnapshotSource[] = [
  {
    name: 'tickers',
    async *files({ cache, registry }) {
      yield { path: 'api/v1/tickers.json', body: json(tickersBody(cache, registry.all())) };
    },
  },
  {
    name: 'reports',
    async *files({ cache }) {
      for (const entry of cache.all()) {
        const report = JSON.parse(entry.storedBody) as Record<string, unknown>;
        delete report.chart_base64;
        report.stale = cache.isStale(entry);
        if (report.chart_url) report.chart_url = `${snapshotChartPath(entry.ticker)}?v=${encodeURIComponent(entry.executionId)}`;
        yield { path: snapshotReportPath(entry.ticker), body: json(report) };
      }
    },
  },
  {
    name: 'charts',
    async *files({ cache, store }) {
      for (const entry of cache.all()) {
        // Read from the store one at a time (not through the cache, which would keep every PNG in memory).
        const png = await store.getChartPng(entry.ticker, entry.businessDate);
        if (png) yield { path: snapshotChartPath(entry.ticker), body: png };
      }
    },
  },
  {
    name: 'rankings',
    async *files({ cache }) {
      for (const category of RANKING_CATEGORIES) {
        yield { path: `api/v1/rankings/${category}.json`, body: json(rankingBody(cache, category, RANKING_LIMIT)) };
      }
    },
  },
  {
    // GET /api/v1/brief: the morning brief of the newest finished execution (none before the first run).
    name: 'brief',
    async *files({ store, language }) {
      const execution = await latestDeliverableExecution(store);
      if (!execution) return;
      yield { path: 'api/v1/brief.json', body: json(await briefOfExecution(store, execution, language)) };
    },
  },
  {
    // GET /api/v1/track-record: the universe's graded calls and the baselines (none before a run or a backtest).
    name: 'track-record',
    async *files({ store }) {
      const calls = await store.listCalls({});
      if (calls.length === 0) return;
      yield { path: 'api/v1/track-record.json', body: json(buildTrackRecord(calls, { limit: DEFAULT_UNIVERSE_CALLS })) };
    },
  },
];
