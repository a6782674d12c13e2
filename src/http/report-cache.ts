import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzipSync } from 'node:zlib';
import pLimit from 'p-limit';
import { errorMessage } from '../errors.js';
import { bangkokDate } from '../report/business-date.js';
import type { Report } from '../report/report.js';
import type { ReportVersion, Store, StoredReport } from '../store/store.js';

const brotli = promisify(brotliCompress);
const LOAD_CONCURRENCY = 8;

export type Encoding = 'identity' | 'gzip' | 'br';

/** One serialized form of a report (fresh or stale) in every encoding, made once when the report loads. */
export interface EncodedBody {
  /** Strong ETag of the identity bytes; encoded bytes add `-gz` / `-br` inside the quotes. */
  etag: string;
  etagGzip: string;
  etagBr: string;
  identity: Buffer;
  gzip: Buffer;
  /** Brotli at quality 11 is ~40 ms per report: made in the background on first demand; gzip is served until then. */
  br: Buffer | undefined;
  brPending: boolean;
}

/** The few fields rankings, search and the ticker list need, parsed once per report. */
export interface ReportSummary {
  ticker: string;
  company_name: string;
  exchange: string;
  currency: string;
  price: number;
  price_change_pct: number | null;
  stance: string;
  confidence: string | null;
  recommendation: string | null;
  volume_ratio: number | null;
  as_of: string;
  business_date: string;
  generated_at: string;
  execution_id: string;
  data_source: string;
  language: string | null;
  /** Carried forward (inputs unchanged): the execution that made the report. */
  reused_from: string | null;
}

export interface CachedReport {
  ticker: string;
  businessDate: string;
  asOf: string;
  generatedAt: string;
  executionId: string;
  /** `business_date|generated_at|execution_id`: what `listLatestReportVersions` is compared against. */
  version: string;
  fresh: EncodedBody;
  stale: EncodedBody;
  summary: ReportSummary;
  /** The body as the store keeps it, for the rare `?include=chart_base64` variant. */
  storedBody: string;
  /** Chart bytes, read from the store on first request. */
  chart?: Promise<Buffer | undefined>;
}

export interface ReportCacheOptions {
  now: () => Date;
  log?: { warn: (obj: object, msg: string) => void; info?: (obj: object, msg: string) => void };
  /** Called after each ticker (re)load, e.g. to count reloads in metrics. */
  onLoaded?: (ticker: string) => void;
}

const versionOf = (v: Pick<ReportVersion, 'business_date' | 'generated_at' | 'execution_id'>) =>
  `${v.business_date}|${v.generated_at}|${v.execution_id}`;

function etagFor(executionId: string, body: Buffer): string {
  const hash = createHash('sha1').update(body).digest('base64url').slice(0, 16);
  return `${executionId}-${hash}`;
}

function encode(json: string, executionId: string): EncodedBody {
  const identity = Buffer.from(json, 'utf8');
  const tag = etagFor(executionId, identity);
  return {
    etag: `"${tag}"`,
    etagGzip: `"${tag}-gz"`,
    etagBr: `"${tag}-br"`,
    identity,
    gzip: gzipSync(identity, { level: 9 }),
    br: undefined,
    brPending: false,
  };
}

/** The chart URL the API hands out carries the execution, so the PNG behind it can be cached for a year. */
export function versionedChartUrl(ticker: string, executionId: string): string {
  return `/api/v1/report/${encodeURIComponent(ticker)}/chart.png?v=${encodeURIComponent(executionId)}`;
}

/**
 * The latest report of every ticker, kept in memory as ready-to-send bytes so a read costs a map lookup and a
 * socket write: no query, no JSON.parse, no JSON.stringify, no compression per request (DESIGN §7, §9).
 *
 * Per ticker it holds two serialized forms made once when the report loads — `"stale":false` and `"stale":true` —
 * each as identity and gzip bytes (brotli is added in the background on first demand), with their ETags. Which
 * form a request gets depends only on whether the report's business date is before today's Asia/Bangkok date, so
 * `stale` is right at read time even though the bytes were made earlier.
 *
 * Freshness: `refresh()` compares every ticker's latest version in the store (one indexed query, no bodies) with
 * what is held and reloads the changed ones, so reports written by any process show up within one poll; reports
 * made by this process's workers are reloaded at once through `reload(ticker)`.
 */
export class ReportCache {
  private readonly entries = new Map<string, CachedReport>();
  private readonly loading = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<number> | undefined;
  private todayValue = '';
  private todayAt = Number.NaN;
  private lastRefreshOk = true;
  loads = 0;

  constructor(
    private readonly store: Store,
    private readonly options: ReportCacheOptions,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get(ticker: string): CachedReport | undefined {
    return this.entries.get(ticker);
  }

  all(): CachedReport[] {
    return [...this.entries.values()];
  }

  /** Today's Asia/Bangkok date, recomputed at most once a second (Intl formatting is the costly part). */
  today(): string {
    const t = this.options.now().getTime();
    if (!(t >= this.todayAt && t < this.todayAt + 1000)) {
      this.todayValue = bangkokDate(new Date(t));
      this.todayAt = t;
    }
    return this.todayValue;
  }

  isStale(entry: Pick<CachedReport, 'businessDate'>): boolean {
    return entry.businessDate < this.today();
  }

  /** The form of the report to serve now. */
  bodyFor(entry: CachedReport): EncodedBody {
    return entry.businessDate < this.today() ? entry.stale : entry.fresh;
  }

  /** Starts brotli for a body once; the caller serves gzip this time. */
  ensureBrotli(body: EncodedBody): void {
    if (body.br || body.brPending) return;
    body.brPending = true;
    brotli(body.identity, {
      params: {
        [zlibConstants.BROTLI_PARAM_QUALITY]: 11,
        [zlibConstants.BROTLI_PARAM_MODE]: zlibConstants.BROTLI_MODE_TEXT,
        [zlibConstants.BROTLI_PARAM_SIZE_HINT]: body.identity.length,
      },
    }).then(
      (compressed) => {
        body.br = compressed;
      },
      (error) => {
        body.brPending = false;
        this.options.log?.warn({ err: errorMessage(error) }, 'brotli compression failed; serving gzip');
      },
    );
  }

  chartOf(entry: CachedReport): Promise<Buffer | undefined> {
    entry.chart ??= this.store.getChartPng(entry.ticker, entry.businessDate).catch((error) => {
      entry.chart = undefined; // try again next time
      throw error;
    });
    return entry.chart;
  }

  /** Loads every ticker's latest report. */
  async load(): Promise<void> {
    await this.refresh();
  }

  /**
   * One poll: reloads the tickers whose latest version changed and drops those whose reports are gone. Returns
   * how many were reloaded. Concurrent calls share one run.
   */
  refresh(): Promise<number> {
    this.refreshing ??= this.refreshOnce().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async refreshOnce(): Promise<number> {
    const versions = await this.store.listLatestReportVersions();
    const seen = new Set<string>();
    const changed: string[] = [];
    for (const v of versions) {
      seen.add(v.ticker);
      if (this.entries.get(v.ticker)?.version !== versionOf(v)) changed.push(v.ticker);
    }
    for (const ticker of this.entries.keys()) if (!seen.has(ticker)) this.entries.delete(ticker);
    const limit = pLimit(LOAD_CONCURRENCY);
    await Promise.all(changed.map((ticker) => limit(() => this.reload(ticker))));
    return changed.length;
  }

  /** Reads the ticker's latest report from the store and replaces the held one if it is newer. */
  reload(ticker: string): Promise<void> {
    // One load per ticker at a time; a reload asked for during a load runs after it (it may have been a new write).
    const previous = this.loading.get(ticker) ?? Promise.resolve();
    const next = previous
      .catch(() => {})
      .then(() => this.loadTicker(ticker))
      .finally(() => {
        if (this.loading.get(ticker) === next) this.loading.delete(ticker);
      });
    this.loading.set(ticker, next);
    return next;
  }

  private async loadTicker(ticker: string): Promise<void> {
    const stored = await this.store.getLatestReport(ticker);
    if (!stored) {
      this.entries.delete(ticker);
      return;
    }
    const held = this.entries.get(ticker);
    const version = versionOf(stored);
    if (held?.version === version) return;
    // Never replace a report with an older one (two loads racing, or a late rewrite of an older business date).
    if (held && (stored.business_date < held.businessDate || (stored.business_date === held.businessDate && stored.generated_at < held.generatedAt))) {
      return;
    }
    try {
      this.entries.set(ticker, prepare(stored));
      this.loads++;
      this.options.onLoaded?.(ticker);
    } catch (error) {
      this.options.log?.warn({ ticker, err: errorMessage(error) }, 'stored report is not valid JSON; keeping the previous one');
    }
  }

  /** Polls the store every `pollMs`; errors are logged and the next poll tries again. */
  start(pollMs: number): void {
    if (pollMs <= 0 || this.timer) return;
    const tick = () => {
      this.refresh()
        .then(
          (n) => {
            if (!this.lastRefreshOk) this.options.log?.info?.({}, 'report cache refresh works again');
            this.lastRefreshOk = true;
            if (n > 0) this.options.log?.info?.({ reloaded: n }, 'report cache: new reports loaded');
          },
          (error) => {
            if (this.lastRefreshOk) this.options.log?.warn({ err: errorMessage(error) }, 'report cache refresh failed; serving the reports held');
            this.lastRefreshOk = false;
          },
        )
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, pollMs).unref();
        });
    };
    this.timer = setTimeout(tick, pollMs).unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await Promise.allSettled([this.refreshing, ...this.loading.values()]);
  }
}

/** Parses a stored report once and makes everything a request may need from it. */
function prepare(stored: StoredReport): CachedReport {
  const report = JSON.parse(stored.body) as Report & { chart_base64?: unknown };
  // The HTTP body never carries the PNG (it triples the size): `?include=chart_base64` adds it on demand.
  delete report.chart_base64;
  if (report.chart_url) report.chart_url = versionedChartUrl(stored.ticker, stored.execution_id);
  // Re-serializing keeps the key order and number spelling of the stored JSON (it was made by JSON.stringify).
  report.stale = false;
  const fresh = encode(JSON.stringify(report), stored.execution_id);
  report.stale = true;
  const stale = encode(JSON.stringify(report), stored.execution_id);
  return {
    ticker: stored.ticker,
    businessDate: stored.business_date,
    asOf: stored.as_of,
    generatedAt: stored.generated_at,
    executionId: stored.execution_id,
    version: versionOf(stored),
    fresh,
    stale,
    storedBody: stored.body,
    summary: {
      ticker: stored.ticker,
      company_name: report.company_name,
      exchange: report.exchange,
      currency: report.currency,
      price: report.price,
      price_change_pct: report.price_change_pct ?? null,
      stance: report.stance,
      confidence: report.confidence ?? null,
      recommendation: report.recommendation ?? null,
      volume_ratio: report.indicators?.volume_ratio ?? null,
      as_of: stored.as_of,
      business_date: stored.business_date,
      generated_at: stored.generated_at,
      execution_id: stored.execution_id,
      data_source: stored.data_source,
      language: report.language ?? null,
      reused_from: report.reused_from ?? null,
    },
  };
}

/**
 * The encoding to send for an Accept-Encoding header: br, then gzip, then identity. The common headers
 * (`gzip, deflate, br`) take a substring check; headers with q-values are parsed properly.
 */
export function pickEncoding(header: string | undefined): Encoding {
  if (!header) return 'identity';
  if (!header.includes(';')) {
    if (header.includes('br')) return 'br';
    if (header.includes('gzip')) return 'gzip';
    return 'identity';
  }
  let best: Encoding = 'identity';
  let bestQ = 0;
  let wildcardQ: number | undefined;
  const q = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const value = qParam ? Number(qParam.slice(2)) : 1;
    if (!name || Number.isNaN(value)) continue;
    if (name === '*') wildcardQ = value;
    else q.set(name, value);
  }
  for (const name of ['br', 'gzip'] as const) {
    const value = q.get(name) ?? wildcardQ ?? 0;
    if (value > bestQ) {
      best = name;
      bestQ = value;
    }
  }
  return best;
}

/** True when an If-None-Match header names this representation (any encoding of it, weak or strong). */
export function etagMatches(header: string | undefined, body: EncodedBody): boolean {
  if (!header) return false;
  if (header === body.etag || header === body.etagGzip || header === body.etagBr || header === '*') return true;
  for (let tag of header.split(',')) {
    tag = tag.trim();
    if (tag.startsWith('W/')) tag = tag.slice(2);
    if (tag === body.etag || tag === body.etagGzip || tag === body.etagBr) return true;
  }
  return false;
}
