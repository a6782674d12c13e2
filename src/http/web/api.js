/**
 * The JSON API of the same process: the fetch helper, its error type, and how a failed call is shown. In a static
 * snapshot (`daybreak export`, marked by `data-snapshot` on the root element) the same calls read plain files under
 * `api/v1/`, relative to the page so the snapshot works under any path prefix of any static host.
 */
import { h } from './dom.js';
import { S } from './strings.js';

/** When the snapshot was exported (ISO time), or null on the live server. */
export const SNAPSHOT = document.documentElement.getAttribute('data-snapshot');
export const API = SNAPSHOT ? 'api/v1' : '/api/v1';

/**
 * The file of a snapshot that answers a GET of the live API, or null when a snapshot has none. A feature whose
 * endpoint is exported (src/export/snapshot-files.ts) adds its file here.
 */
export function snapshotFile(path) {
  const [route, query = ''] = path.split('?');
  const rest = route.startsWith(`${API}/`) ? route.slice(API.length + 1) : null;
  if (rest === null) return null;
  if (rest === 'tickers' || rest === 'brief' || rest === 'track-record') return `${API}/${rest}.json`;
  if (rest === 'rankings') {
    const category = new URLSearchParams(query).get('category');
    return category && /^[a-z_]+$/.test(category) ? `${API}/rankings/${category}.json` : null;
  }
  const report = /^report\/([^/]+)$/.exec(rest);
  if (report) return `${API}/reports/${encodeURIComponent(decodeURIComponent(report[1]).toUpperCase())}.json`;
  return null;
}

/** Where the JSON of a ticker's report is, for a link. */
export function reportJsonUrl(ticker) {
  return SNAPSHOT ? `${API}/reports/${encodeURIComponent(ticker)}.json` : `${API}/report/${encodeURIComponent(ticker)}`;
}
/** While something runs (an execution, an on-demand report), the page polls this often. */
export const LIVE_POLL_MS = 1_000;

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** `initData`: Telegram's signed init data, sent as `X-Telegram-Init-Data` (the Mini App's own watchlist). */
export async function api(path, { signal, method = 'GET', body, token, initData } = {}) {
  if (SNAPSHOT) return snapshotApi(path, method, signal);
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  if (initData) headers['x-telegram-init-data'] = initData;
  // `no-cache` revalidates with the ETag: a 304 costs nothing and the browser hands back its cached body.
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal, cache: 'no-cache' });
  let data = null;
  try {
    data = await res.json();
  } catch {
    data = null;
  }
  if (!res.ok) {
    const err = data?.error;
    throw new ApiError(res.status, err?.code ?? `http_${res.status}`, err?.message ?? `${res.status} ${res.statusText}`, err?.details);
  }
  return data;
}

async function snapshotApi(path, method, signal) {
  if (method !== 'GET') {
    throw new ApiError(405, 'static_snapshot', 'This is a static snapshot of Daybreak: it shows the reports as they were exported and cannot run anything.');
  }
  const file = snapshotFile(path);
  if (!file) throw new ApiError(404, 'not_in_snapshot', 'This static snapshot does not include that page.');
  const res = await fetch(file, { headers: { accept: 'application/json' }, signal, cache: 'no-cache' });
  if (!res.ok) {
    const report = /^report\/([^/?]+)/.exec(path.slice(API.length + 1));
    const ticker = report ? decodeURIComponent(report[1]) : undefined;
    throw new ApiError(
      404,
      'not_in_snapshot',
      ticker ? `${ticker} has no report in this snapshot.` : `This static snapshot has no ${file} (${res.status}).`,
      { ticker },
    );
  }
  return res.json();
}

/** Lists come as a bare array or wrapped (`items`, `executions`, `results`). */
export function itemsOf(data, ...keys) {
  if (Array.isArray(data)) return data;
  for (const key of ['items', ...keys]) if (Array.isArray(data?.[key])) return data[key];
  return [];
}

/** What to tell the reader about a failed call, in the page's language where the error's code is known. */
export function errorMessage(error) {
  if (!(error instanceof ApiError)) return S.unreachable(error?.message ?? error);
  return S.apiError(error.code, error.details, error.message) ?? error.message;
}

export function errorBox(error, extra) {
  return h('div', { class: 'error-box', role: 'alert' }, h('p', {}, errorMessage(error)), extra ?? null);
}

/** "Did you mean NVDA19, NVDL19?", each suggestion a link to its report, or what `choice(symbol)` makes of it. */
export function didYouMean(suggestions, choice = (s) => h('a', { href: `#/report/${encodeURIComponent(s)}` }, s)) {
  if (!Array.isArray(suggestions) || suggestions.length === 0) return null;
  const [before, after] = S.didYouMean;
  return h('p', { class: 'did-you-mean' }, before, suggestions.map((s, i) => [i ? ', ' : '', choice(s)]), after);
}
