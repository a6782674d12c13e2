/**
 * One shared, throttled, retrying yahoo-finance2 client for every Yahoo adapter (bars, company info, news).
 *
 * Why a wrapper around the library rather than the library alone:
 * - Yahoo limits requests per IP (the reference system had to cap itself at 5 concurrent), so every HTTP request,
 *   including the cookie/crumb requests the library makes on its own, goes through ONE p-limit gate here.
 * - The library turns HTTP failures into bare `Error`s and drops the status and `Retry-After`; the injected fetch
 *   below sees the response first and throws a typed `YahooHttpError` instead, so 429 waits the time Yahoo asked for
 *   and a 404 is told apart from a 503.
 * - Every failure goes through `classifyYahooError` into the project's vocabulary (`PermanentError`,
 *   `RetryLaterError`, anything else = transient) — one table, below, instead of string matching in each adapter.
 */
import pLimit from 'p-limit';
import YahooFinance from 'yahoo-finance2';
import { ExtendedCookieJar } from 'yahoo-finance2/lib/cookieJar';
import { getCrumbClear } from 'yahoo-finance2/lib/getCrumb';
import type { ChartResultArray } from 'yahoo-finance2/modules/chart';
import type { QuoteSummaryOptions } from 'yahoo-finance2/modules/quoteSummary';
import type { QuoteSummaryResult } from 'yahoo-finance2/modules/quoteSummary-iface';
import type { SearchResult } from 'yahoo-finance2/modules/search';
import { errorMessage, PermanentError, RetryLaterError } from '../errors.js';

export type { ChartResultArray, QuoteSummaryResult, SearchResult };
export type QuoteSummaryModule = Exclude<NonNullable<QuoteSummaryOptions['modules']>, 'all'>[number];

export const YAHOO_DEFAULTS = {
  maxInFlight: 5,
  timeoutMs: 15_000,
  attempts: 3,
  backoffMs: 1_000,
  maxBackoffMs: 30_000,
  /** When a 429 carries no usable `Retry-After`. */
  retryAfterMs: 2_000,
  /** A 429 asking for longer than this is not slept through in-process: it becomes a `RetryLaterError` at once. */
  maxRetryAfterMs: 60_000,
} as const;

export interface YahooClientOptions {
  /** The `fetch` the client sends requests through (tests inject a loopback fake). Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Most HTTP requests to Yahoo in flight at once, across every call through this client. Default 5. */
  maxInFlight?: number;
  /** Per HTTP request, from send to the last body byte. Default 15 000 ms. */
  timeoutMs?: number;
  retry?: {
    /** Tries per call, the first included; 429s count. Default 3. */
    attempts?: number;
    /** Wait before the 2nd try; doubles each time, plus up to 25 % jitter, capped at `maxBackoffMs`. Default 1 000 ms. */
    backoffMs?: number;
    maxBackoffMs?: number;
    /** Default wait for a 429 without `Retry-After`. Default 2 000 ms. */
    retryAfterMs?: number;
    /** Longest `Retry-After` slept through in-process; longer ones throw `RetryLaterError` at once. Default 60 s. */
    maxRetryAfterMs?: number;
  };
  /** Where the library's and the client's warnings go. Default: `console.warn`. */
  warn?: (message: string) => void;
}

/** A Yahoo call, retried and classified. */
export interface YahooClient {
  readonly maxInFlight: number;
  chart(symbol: string, options: { period1: Date; period2: Date; interval: '1d' }): Promise<ChartResultArray>;
  quoteSummary(symbol: string, modules: QuoteSummaryModule[]): Promise<QuoteSummaryResult>;
  search(symbol: string, options: { newsCount: number; quotesCount?: number }): Promise<SearchResult>;
}

/** A non-2xx answer, seen by the injected fetch before the library can flatten it into a bare `Error`. */
export class YahooHttpError extends Error {
  override name = 'YahooHttpError';
  constructor(
    readonly status: number,
    readonly url: string,
    /** Yahoo's own `error.description` when the body is its JSON envelope, else the start of the body. */
    readonly description: string,
    /** Parsed `Retry-After`, when the answer carried one. */
    readonly retryAfterMs: number | null,
  ) {
    super(`HTTP ${status} from ${new URL(url).pathname}${description ? `: ${description}` : ''}`);
  }
}

/** No answer (or no complete body) within `timeoutMs`. */
export class YahooTimeoutError extends Error {
  override name = 'YahooTimeoutError';
}

/** The connection failed: refused, reset, DNS… */
export class YahooNetworkError extends Error {
  override name = 'YahooNetworkError';
}

/** A transient failure that outlived every retry. Not a `PermanentError`: a later run may well succeed. */
export class YahooUnavailableError extends Error {
  override name = 'YahooUnavailableError';
}

/**
 * Parses `Retry-After`: delta-seconds (`"1"`, `"2.5"`) or an HTTP date. Returns ms from `nowMs` (never negative),
 * or null when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs = Date.now()): number | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

const NOT_FOUND = /no data found|symbol may be delisted|quote not found|not found|delisted/i;
/** What yahoo-finance2 throws when a 2xx body is not JSON at all. */
const UNPARSABLE = /where we expect JSON, but the response was not parsable/i;
/** yahoo-finance2's own complaints about a result it cannot make sense of ("please report"). */
const LIBRARY_SHAPE = /^Unexpected result|please report|Timestamp count mismatch/i;

/**
 * The ONE place Yahoo failures get their meaning. `symbol` goes into every message so a person reading a failed
 * job knows which ticker and why.
 *
 * | what happened                                              | becomes           | why |
 * |------------------------------------------------------------|-------------------|-----|
 * | already `PermanentError` / `RetryLaterError`               | itself            | adapters' own checks |
 * | HTTP 429                                                   | `RetryLaterError` | Yahoo's per-IP limit; wait `Retry-After` (default 2 s) |
 * | HTTP 404, or Yahoo's "Not Found" / "No data found, symbol may be delisted" / "Quote not found" envelope (any status) | `PermanentError` | unknown or delisted: asking again cannot help |
 * | HTTP 400 / 422, library `BadRequestError` / `InvalidOptionsError` | `PermanentError` | the request itself is wrong (bad symbol characters, bad options) |
 * | schema validation failed (`FailedYahooValidationError`), library "Unexpected result"/"please report", a `TypeError` while reading the body | `PermanentError` | a complete answer of the wrong shape: the same bytes come back next time, and the fix is a code or library update, not a retry; retrying only spends the per-IP budget |
 * | 2xx body that is not JSON (truncated, an HTML error page) | transient         | the reference's `JSONDecodeError`s from Yahoo were flaky and passed on retry (original-system §7.8) |
 * | HTTP 401 / 403                                             | transient         | stale cookie/crumb; the client drops its cookies and fetches new ones before retrying |
 * | HTTP 5xx, 408, other statuses                              | transient         | Yahoo's edge hiccups |
 * | timeout, connection refused/reset                          | transient         | network |
 * | anything else                                              | transient         | the project default |
 *
 * Transient errors come back as `YahooUnavailableError` (a plain `Error` to the pipeline), never as an empty result.
 */
export function classifyYahooError(error: unknown, symbol: string): Error {
  if (error instanceof PermanentError || error instanceof RetryLaterError) return error;
  const name = error instanceof Error ? error.name : '';
  const message = errorMessage(error);

  if (error instanceof YahooHttpError) {
    const { status, description } = error;
    if (status === 429) {
      return new RetryLaterError(`Yahoo rate limit (HTTP 429) for ${symbol}`, error.retryAfterMs ?? YAHOO_DEFAULTS.retryAfterMs, { cause: error });
    }
    if (status === 404 || NOT_FOUND.test(description)) {
      return new PermanentError(`Yahoo: unknown or delisted symbol "${symbol}" (HTTP ${status}: ${description || 'Not Found'})`, { cause: error });
    }
    if (status === 400 || status === 422) {
      return new PermanentError(`Yahoo rejected the request for "${symbol}" (HTTP ${status}: ${description})`, { cause: error });
    }
    return new YahooUnavailableError(`Yahoo unavailable for ${symbol}: ${error.message}`, { cause: error });
  }
  if (error instanceof YahooTimeoutError || error instanceof YahooNetworkError) {
    return new YahooUnavailableError(`Yahoo unavailable for ${symbol}: ${message}`, { cause: error });
  }
  if (name === 'FailedYahooValidationError') {
    return new PermanentError(`Yahoo answered for "${symbol}" in an unexpected shape (failed yahoo-finance2 schema validation): ${summarizeValidation(error)}`, {
      cause: error,
    });
  }
  if (UNPARSABLE.test(message)) {
    return new YahooUnavailableError(`Yahoo sent a malformed (non-JSON) answer for ${symbol}`, { cause: error });
  }
  if (name === 'BadRequestError' || name === 'InvalidOptionsError') {
    return new PermanentError(`Yahoo rejected the request for "${symbol}": ${message}`, { cause: error });
  }
  // Yahoo's JSON error envelope on a 2xx answer: the library throws a bare Error carrying `description`.
  if (NOT_FOUND.test(message)) {
    return new PermanentError(`Yahoo: unknown or delisted symbol "${symbol}" (${message})`, { cause: error });
  }
  // The transport's failures are all typed above, so a TypeError here came from reading the body.
  if (LIBRARY_SHAPE.test(message) || error instanceof TypeError) {
    return new PermanentError(`Yahoo answered for "${symbol}" in an unexpected shape: ${message}`, { cause: error });
  }
  return new YahooUnavailableError(`Yahoo unavailable for ${symbol}: ${message}`, { cause: error });
}

function summarizeValidation(error: unknown): string {
  const errors = (error as { errors?: { instancePath?: string; message?: string }[] }).errors;
  if (!Array.isArray(errors) || errors.length === 0) return errorMessage(error);
  const shown = errors.slice(0, 3).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`.trim());
  return shown.join('; ') + (errors.length > 3 ? ` (+${errors.length - 3} more)` : '');
}

/** Pulls Yahoo's `{"<key>":{"error":{"description"}}}` out of an error body, else its first 200 characters. */
function describeBody(text: string): string {
  try {
    const body = JSON.parse(text) as Record<string, { error?: { code?: string; description?: string } | null } | null>;
    for (const value of Object.values(body)) {
      const e = value?.error;
      if (e && (e.description || e.code)) return e.description || e.code || '';
    }
  } catch {
    // not JSON: HTML error pages, "Edge: Too Many Requests"
  }
  const flat = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The library's HTML cookie page and consent redirects: only 429 and 5xx are ours to type there. */
const API_HOST = /^query\d\.finance\.yahoo\.com$/i;

export function createYahooClient(options: YahooClientOptions = {}): YahooClient {
  const maxInFlight = options.maxInFlight ?? YAHOO_DEFAULTS.maxInFlight;
  const timeoutMs = options.timeoutMs ?? YAHOO_DEFAULTS.timeoutMs;
  const attempts = options.retry?.attempts ?? YAHOO_DEFAULTS.attempts;
  const backoffMs = options.retry?.backoffMs ?? YAHOO_DEFAULTS.backoffMs;
  const maxBackoffMs = options.retry?.maxBackoffMs ?? YAHOO_DEFAULTS.maxBackoffMs;
  const defaultRetryAfterMs = options.retry?.retryAfterMs ?? YAHOO_DEFAULTS.retryAfterMs;
  const maxRetryAfterMs = options.retry?.maxRetryAfterMs ?? YAHOO_DEFAULTS.maxRetryAfterMs;
  const warn = options.warn ?? ((message: string) => console.warn(message));
  const baseFetch = options.fetch ?? globalThis.fetch;
  for (const [key, value, min] of [
    ['maxInFlight', maxInFlight, 1],
    ['timeoutMs', timeoutMs, 1],
    ['retry.attempts', attempts, 1],
    ['retry.backoffMs', backoffMs, 0],
  ] as const) {
    if (!Number.isInteger(value) || value < min) throw new RangeError(`Yahoo client: ${key} must be an integer ≥ ${min}, got ${value}`);
  }

  const limit = pLimit(maxInFlight);
  /** After a 429, nothing is sent before this instant: the limit is per IP, so the whole client cools down. */
  let quietUntil = 0;

  /**
   * The fetch the library uses. Inside one throttle slot: wait out any cool-down, send with a timeout, read the whole
   * body (so the slot covers the transfer and the timeout covers a body that never ends), then type failures.
   */
  const throttledFetch = (input: string | URL | Request, init?: RequestInit): Promise<Response> =>
    limit(async () => {
      const wait = quietUntil - Date.now();
      if (wait > 0) await sleep(wait);
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
      let response: Response;
      let body: ArrayBuffer;
      try {
        response = await baseFetch(input, { ...init, signal });
        body = await response.arrayBuffer();
      } catch (error) {
        if (timeout.aborted) throw new YahooTimeoutError(`no answer from ${new URL(url).host} within ${timeoutMs} ms`, { cause: error });
        if (init?.signal?.aborted) throw error;
        const code = (error as { cause?: { code?: string } }).cause?.code;
        throw new YahooNetworkError(`${new URL(url).host}: ${code ?? errorMessage(error)}`, { cause: error });
      }
      const { status } = response;
      if (status === 429 || status >= 500 || (status >= 400 && API_HOST.test(new URL(url).hostname))) {
        const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
        if (status === 429) quietUntil = Math.max(quietUntil, Date.now() + Math.min(retryAfterMs ?? defaultRetryAfterMs, maxRetryAfterMs));
        throw new YahooHttpError(status, url, describeBody(new TextDecoder().decode(body)), retryAfterMs);
      }
      // Re-wrap the buffered body; null-body statuses (204, 304, redirects under `redirect: manual`) keep no body.
      const nullBody = status === 204 || status === 304 || (status >= 300 && status < 400);
      return new Response(nullBody ? null : body, { status, statusText: response.statusText, headers: response.headers });
    });

  const cookieJar = new ExtendedCookieJar();
  const yahooFinance = new YahooFinance({
    fetch: throttledFetch as typeof fetch,
    cookieJar,
    // The library's own queue wraps our fetch and is module-global (default 4 wide): open it up so the throttle
    // above is the only one, and `maxInFlight` means what it says.
    queue: { concurrency: Math.max(64, maxInFlight) },
    // Failures are thrown and classified; the library's multi-paragraph "please report" logging and its
    // npm-registry version check (a network call) on validation errors are not wanted in a batch job.
    validation: { logErrors: false, logOptionsErrors: false },
    versionCheck: false,
    suppressNotices: ['yahooSurvey', 'ripHistorical'],
    logger: {
      info: () => {},
      debug: () => {},
      dir: () => {},
      warn: (...args: unknown[]) => libraryWarning(args),
      error: (...args: unknown[]) => libraryWarning(args),
    },
  });

  function libraryWarning(args: unknown[]): void {
    const text = args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
    // The library declares Node 22 as its floor and says so on construction. DESIGN §9 pins v3 on Node 20 on
    // purpose, and this adapter's tests run the real client on Node 20, so that one warning is noise.
    if (/Unsupported environment/.test(text)) return;
    warn(`[yahoo-finance2] ${text}`);
  }

  function backoff(attempt: number): number {
    const base = Math.min(maxBackoffMs, backoffMs * 2 ** (attempt - 1));
    return Math.round(base * (1 + 0.25 * Math.random()));
  }

  /** Runs `call` up to `attempts` times: permanent errors at once, 429 after `Retry-After`, others after backoff. */
  async function run<T>(symbol: string, what: string, call: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      let classified: Error;
      try {
        return await call();
      } catch (error) {
        classified = classifyYahooError(error, symbol);
        if (classified instanceof PermanentError) throw classified;
        const cause = (classified as { cause?: unknown }).cause;
        if (cause instanceof YahooHttpError && (cause.status === 401 || cause.status === 403)) {
          // Yahoo refuses a stale cookie/crumb. The library caches the crumb in module state and only refreshes it
          // when its cookie expires, so clear both: the next try fetches fresh ones.
          await getCrumbClear(cookieJar);
        }
        if (classified instanceof RetryLaterError && cause instanceof YahooHttpError && cause.retryAfterMs === null) {
          classified = new RetryLaterError(classified.message, defaultRetryAfterMs, { cause });
        }
      }
      if (classified instanceof RetryLaterError) {
        if (attempt >= attempts || classified.retryAfterMs > maxRetryAfterMs) throw classified;
        await sleep(classified.retryAfterMs);
        continue;
      }
      if (attempt >= attempts) {
        throw new YahooUnavailableError(`${classified.message} (${what}, gave up after ${attempts} attempt${attempts === 1 ? '' : 's'})`, {
          cause: (classified as { cause?: unknown }).cause ?? classified,
        });
      }
      await sleep(backoff(attempt));
    }
  }

  return {
    maxInFlight,
    chart: (symbol, chartOptions) => run(symbol, 'chart', () => yahooFinance.chart(symbol, { ...chartOptions, return: 'array' })),
    quoteSummary: (symbol, modules) => run(symbol, 'quoteSummary', () => yahooFinance.quoteSummary(symbol, { modules, formatted: false })),
    search: (symbol, searchOptions) =>
      run(symbol, 'search', () =>
        yahooFinance.search(symbol, { newsCount: searchOptions.newsCount, quotesCount: searchOptions.quotesCount ?? 1, enableFuzzyQuery: false }),
      ),
  };
}
