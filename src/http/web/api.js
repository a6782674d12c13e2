/** The JSON API of the same process: the fetch helper, its error type, and how a failed call is shown. */
import { h } from './dom.js';

export const API = '/api/v1';
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

export async function api(path, { signal, method = 'GET', body, token } = {}) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
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

/** Lists come as a bare array or wrapped (`items`, `executions`, `results`). */
export function itemsOf(data, ...keys) {
  if (Array.isArray(data)) return data;
  for (const key of ['items', ...keys]) if (Array.isArray(data?.[key])) return data[key];
  return [];
}

export function errorBox(error, extra) {
  const message = error instanceof ApiError ? error.message : `Could not reach the server (${error?.message ?? error}).`;
  return h('div', { class: 'error-box', role: 'alert' }, h('p', {}, message), extra ?? null);
}
