/**
 * Daybreak's web page: the ticker list, a report view and the execution monitor, on the JSON API of the same
 * process. Plain ES modules, no framework, no build. Hash routes: `#/`, `#/report/NVDA19`, `#/executions`,
 * `#/executions/:id`.
 *
 * Safety: every piece of server text goes into the page as a text node (the `h()` builder never parses HTML), and
 * the narrative is turned into DOM nodes by markdown.js, so a report can never inject markup.
 */
import { renderMarkdown } from './markdown.js';

const API = '/api/v1';
const TOKEN_KEY = 'daybreak.adminToken';
/** While an execution runs, the monitor polls this often. */
const LIVE_POLL_MS = 1_000;
/** With nothing running, the executions list still looks now and then for a run started elsewhere (the scheduler). */
const IDLE_POLL_MS = 15_000;

const app = /** @type {HTMLElement} */ (document.getElementById('app'));
const live = /** @type {HTMLElement} */ (document.getElementById('live'));

// ---------------------------------------------------------------------------------------------------------------
// DOM and formatting helpers

/**
 * Creates an element. `props`: `class`, `text`, `on{Event}` handlers, anything else as an attribute (false/null
 * skipped). Children: nodes, strings (as text nodes), arrays, null/false (skipped).
 */
function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
    else if (key === 'text') el.textContent = String(value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2).toLowerCase(), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(parent, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

const isNum = (v) => typeof v === 'number' && Number.isFinite(v);
const DASH = '—';

function fmtNumber(v, digits = 2) {
  return isNum(v) ? v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : DASH;
}

function fmtPrice(v, currency) {
  if (!isNum(v)) return DASH;
  const digits = Math.abs(v) >= 1000 ? 0 : Math.abs(v) >= 1 ? 2 : 4;
  return `${v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}${currency ? ` ${currency}` : ''}`;
}

function fmtPct(v, { signed = true, digits = 2 } = {}) {
  if (!isNum(v)) return DASH;
  const s = Math.abs(v).toFixed(digits);
  return `${signed ? (v > 0 ? '+' : v < 0 ? '−' : '') : v < 0 ? '−' : ''}${s}%`;
}

function changeClass(v) {
  return !isNum(v) || v === 0 ? 'chg chg--flat' : v > 0 ? 'chg chg--up' : 'chg chg--down';
}

const dateFmt = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
/** Business dates are Asia/Bangkok dates: timestamps are shown in Bangkok time too, so the two agree. */
const dateTimeFmt = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
  timeZone: 'Asia/Bangkok',
});

function fmtDate(ymd) {
  if (typeof ymd !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(ymd)) return ymd ?? DASH;
  return dateFmt.format(new Date(`${ymd.slice(0, 10)}T00:00:00Z`));
}

function fmtDateTime(iso) {
  if (!iso) return DASH;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : `${dateTimeFmt.format(d)} ICT`;
}

const relFmt = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
function fmtAgo(iso) {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const s = (t - Date.now()) / 1000;
  const abs = Math.abs(s);
  if (abs < 45) return 'just now';
  if (abs < 3600) return relFmt.format(Math.round(s / 60), 'minute');
  if (abs < 86400) return relFmt.format(Math.round(s / 3600), 'hour');
  return relFmt.format(Math.round(s / 86400), 'day');
}

function fmtDuration(ms) {
  if (!isNum(ms)) return DASH;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const min = Math.floor(ms / 60_000);
  return `${min} min ${Math.round((ms % 60_000) / 1000)} s`;
}

function time(iso, text) {
  return h('time', { datetime: iso, title: iso }, text ?? fmtDateTime(iso));
}

function badge(text, kind, title) {
  return h('span', { class: `badge badge--${kind}`, title }, text);
}

const STANCE_LABEL = { bullish: 'Bullish', bearish: 'Bearish', neutral: 'Neutral' };
function stanceBadge(stance) {
  if (!stance) return badge('no report', 'muted');
  return badge(STANCE_LABEL[stance] ?? stance, `stance-${STANCE_LABEL[stance] ? stance : 'neutral'}`);
}

function freshnessBadges(row) {
  return [
    row.stale
      ? badge('stale', 'stale', "Served after its business date: today's report is not computed yet")
      : null,
    row.data_source === 'demo' ? badge('demo data', 'demo', 'Synthetic prices and headlines generated offline, not market data') : null,
  ];
}

function announce(message) {
  live.textContent = '';
  // A fresh text node makes screen readers announce the same message twice in a row too.
  setTimeout(() => (live.textContent = message), 30);
}

function errorBox(error, extra) {
  const message = error instanceof ApiError ? error.message : `Could not reach the server (${error?.message ?? error}).`;
  return h('div', { class: 'error-box', role: 'alert' }, h('p', {}, message), extra ?? null);
}

// ---------------------------------------------------------------------------------------------------------------
// API

class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

async function api(path, { signal, method = 'GET', body, token } = {}) {
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
function itemsOf(data, ...keys) {
  if (Array.isArray(data)) return data;
  for (const key of ['items', ...keys]) if (Array.isArray(data?.[key])) return data[key];
  return [];
}

/**
 * Every ticker with its latest report's headline numbers. Preferred: one endpoint listing the whole registry,
 * tickers without a report included. Failing that (404), the union of the two rankings that together cover every
 * stored report.
 */
async function loadTickerRows(signal) {
  try {
    const data = await api(`${API}/tickers`, { signal });
    const items = itemsOf(data, 'tickers');
    if (items.length > 0) return items.map(normalizeTickerRow);
  } catch (error) {
    if (!(error instanceof ApiError) || (error.status !== 404 && error.status !== 405)) throw error;
  }
  const lists = await Promise.all(
    ['top_gainers', 'top_losers'].map((category) => api(`${API}/rankings?category=${category}&limit=50`, { signal })),
  );
  const byTicker = new Map();
  for (const item of lists.flatMap((l) => itemsOf(l, 'rankings'))) byTicker.set(item.ticker, normalizeTickerRow(item));
  return [...byTicker.values()];
}

function normalizeTickerRow(item) {
  // Either a flat ranking item or a registry entry carrying its latest report (`report` / `latest_report`).
  const report = item.report ?? item.latest_report ?? item.latest ?? (item.stance !== undefined ? item : null);
  return {
    ticker: item.ticker ?? item.symbol,
    company_name: item.company_name ?? item.name ?? '',
    currency: item.currency ?? report?.currency ?? '',
    price: report?.price ?? null,
    price_change_pct: report?.price_change_pct ?? null,
    stance: report?.stance ?? null,
    recommendation: report?.recommendation ?? null,
    as_of: report?.as_of ?? null,
    stale: Boolean(report?.stale),
    data_source: report?.data_source ?? null,
    has_report: Boolean(report && report.stance),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Router

/** The current view's lifetime: its fetches are aborted and its timers cleared when the route changes. */
let view = newViewScope();

function newViewScope() {
  const controller = new AbortController();
  const timers = new Set();
  return {
    signal: controller.signal,
    get alive() {
      return !controller.signal.aborted;
    },
    later(fn, ms) {
      const id = setTimeout(() => {
        timers.delete(id);
        if (!controller.signal.aborted) fn();
      }, ms);
      timers.add(id);
    },
    end() {
      controller.abort();
      for (const id of timers) clearTimeout(id);
    },
  };
}

const ROUTES = [
  [/^\/?$/, () => listView()],
  [/^\/report\/([^/]+)\/?$/, (m) => reportView(decodeURIComponent(m[1]))],
  [/^\/executions\/?$/, () => executionsView()],
  [/^\/executions\/([^/]+)\/?$/, (m) => executionView(decodeURIComponent(m[1]))],
];

let firstRoute = true;
function route() {
  view.end();
  view = newViewScope();
  const path = (location.hash.replace(/^#/, '') || '/').split('?')[0];
  const section = path.startsWith('/executions') ? 'executions' : path.startsWith('/report') ? 'report' : 'list';
  for (const link of document.querySelectorAll('[data-nav]')) {
    if (link.getAttribute('data-nav') === section) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  let matched = false;
  for (const [pattern, render] of ROUTES) {
    const m = pattern.exec(path);
    if (m) {
      matched = true;
      render(m);
      break;
    }
  }
  if (!matched) {
    setView('Not found', h('section', {}, h('h1', {}, 'Page not found'), h('p', {}, h('a', { href: '#/' }, 'Back to the ticker list'))));
  }
  // Move focus to the new content for keyboard and screen-reader users (not on the first load: leave it alone).
  if (!firstRoute) app.focus({ preventScroll: true });
  firstRoute = false;
  window.scrollTo(0, 0);
}

function setView(title, ...content) {
  document.title = title ? `${title} · Daybreak` : 'Daybreak';
  app.replaceChildren(...content.filter(Boolean));
}

// ---------------------------------------------------------------------------------------------------------------
// Ticker list

const listState = { filter: '', stance: 'all', sort: { key: 'change', dir: 'desc' }, rows: /** @type {any[] | null} */ (null) };

const SORTS = {
  ticker: (a, b) => a.ticker.localeCompare(b.ticker),
  price: (a, b) => (a.price ?? -Infinity) - (b.price ?? -Infinity),
  change: (a, b) => (a.price_change_pct ?? -Infinity) - (b.price_change_pct ?? -Infinity),
  as_of: (a, b) => String(a.as_of ?? '').localeCompare(String(b.as_of ?? '')),
};

async function listView() {
  const scope = view;
  const tbody = h('tbody');
  const caption = h('p', { class: 'list-summary', id: 'list-summary' }, 'Loading tickers…');
  const filterInput = h('input', {
    type: 'search',
    id: 'ticker-filter',
    placeholder: 'Symbol or company',
    autocomplete: 'off',
    spellcheck: 'false',
    value: listState.filter,
    'aria-controls': 'ticker-table',
    onInput: (e) => {
      listState.filter = e.target.value;
      renderRows();
    },
  });
  const stanceSelect = h(
    'select',
    {
      id: 'stance-filter',
      'aria-controls': 'ticker-table',
      onChange: (e) => {
        listState.stance = e.target.value;
        renderRows();
      },
    },
    ['all', 'bullish', 'neutral', 'bearish'].map((s) =>
      h('option', { value: s, selected: listState.stance === s }, s === 'all' ? 'All stances' : STANCE_LABEL[s]),
    ),
  );

  const headerCells = {};
  const sortHeader = (key, label, cls) => {
    const button = h('button', { type: 'button', class: 'sort', onClick: () => toggleSort(key) }, label, h('span', { class: 'sort__icon', 'aria-hidden': 'true' }));
    const th = h('th', { scope: 'col', class: cls }, button);
    headerCells[key] = th;
    return th;
  };
  const table = h(
    'table',
    { class: 'tickers', id: 'ticker-table' },
    h('caption', { class: 'visually-hidden' }, 'Tickers with their latest report. Column headers sort.'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        sortHeader('ticker', 'Symbol'),
        sortHeader('price', 'Price', 'num'),
        sortHeader('change', 'Change', 'num'),
        h('th', { scope: 'col' }, 'Stance'),
        sortHeader('as_of', 'Freshness', 'col-fresh'),
      ),
    ),
    tbody,
  );

  function toggleSort(key) {
    const s = listState.sort;
    listState.sort = s.key === key ? { key, dir: s.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: key === 'ticker' ? 'asc' : 'desc' };
    renderRows();
  }

  function renderRows() {
    const rows = listState.rows ?? [];
    const q = listState.filter.trim().toLowerCase();
    const visible = rows.filter(
      (r) =>
        (!q || r.ticker.toLowerCase().includes(q) || r.company_name.toLowerCase().includes(q)) &&
        (listState.stance === 'all' || r.stance === listState.stance),
    );
    const { key, dir } = listState.sort;
    visible.sort((a, b) => {
      // Tickers without a report sink to the bottom whatever the direction.
      if (a.has_report !== b.has_report) return a.has_report ? -1 : 1;
      const c = SORTS[key](a, b) || a.ticker.localeCompare(b.ticker);
      return dir === 'asc' ? c : -c;
    });
    for (const [k, th] of Object.entries(headerCells)) {
      if (k === key) th.setAttribute('aria-sort', dir === 'asc' ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    }
    tbody.replaceChildren(
      ...visible.map((r) =>
        h(
          'tr',
          { 'data-ticker': r.ticker, class: r.has_report ? null : 'row--empty' },
          h(
            'th',
            { scope: 'row', class: 'sym' },
            h('a', { href: `#/report/${encodeURIComponent(r.ticker)}`, class: 'sym__link' }, r.ticker),
            h('span', { class: 'sym__name' }, r.company_name),
            // Narrow screens hide the freshness column and show it here.
            h('span', { class: 'sym__fresh' }, r.as_of ? `as of ${fmtDate(r.as_of)} ` : '', freshnessBadges(r)),
          ),
          h('td', { class: 'num' }, fmtPrice(r.price), r.currency && isNum(r.price) ? h('span', { class: 'ccy' }, r.currency) : null),
          h('td', { class: 'num' }, h('span', { class: changeClass(r.price_change_pct) }, fmtPct(r.price_change_pct))),
          h('td', { class: 'col-stance' }, stanceBadge(r.stance)),
          h(
            'td',
            { class: 'col-fresh' },
            r.as_of ? h('span', { class: 'asof' }, 'as of ', h('time', { datetime: r.as_of }, fmtDate(r.as_of))) : h('span', { class: 'muted' }, 'not computed yet'),
            ' ',
            freshnessBadges(r),
          ),
        ),
      ),
    );
    if (visible.length === 0) {
      tbody.append(
        h('tr', {}, h('td', { colspan: 5, class: 'empty' }, rows.length === 0 ? emptyUniverseMessage() : 'No ticker matches the filter.')),
      );
    }
    const withReport = rows.filter((r) => r.has_report);
    const counts = { bullish: 0, neutral: 0, bearish: 0 };
    for (const r of withReport) if (r.stance in counts) counts[r.stance]++;
    const latest = withReport.map((r) => r.as_of).filter(Boolean).sort().at(-1);
    caption.replaceChildren(
      `${visible.length === rows.length ? rows.length : `${visible.length} of ${rows.length}`} tickers`,
      withReport.length < rows.length ? ` (${withReport.length} with a report)` : '',
      ' · ',
      h('span', { class: 'chg--up' }, `${counts.bullish} bullish`),
      ' · ',
      `${counts.neutral} neutral · `,
      h('span', { class: 'chg--down' }, `${counts.bearish} bearish`),
      latest ? ` · latest data as of ${fmtDate(latest)}` : '',
      withReport.some((r) => r.data_source === 'demo') ? ' · ' : '',
      withReport.some((r) => r.data_source === 'demo') ? badge('demo data', 'demo', 'Synthetic prices, not market data') : '',
    );
  }

  setView(
    'Tickers',
    h(
      'section',
      { class: 'list', 'aria-labelledby': 'list-title' },
      h('div', { class: 'page-head' }, h('h1', { id: 'list-title' }, 'Tickers'), caption),
      h(
        'div',
        { class: 'toolbar' },
        h('label', { for: 'ticker-filter', class: 'field' }, h('span', { class: 'field__label' }, 'Filter'), filterInput),
        h('label', { for: 'stance-filter', class: 'field' }, h('span', { class: 'field__label' }, 'Stance'), stanceSelect),
      ),
      h('div', { class: 'table-wrap' }, table),
    ),
  );

  if (listState.rows) renderRows();
  try {
    const rows = await loadTickerRows(scope.signal);
    if (!scope.alive) return;
    listState.rows = rows;
    renderRows();
    app.querySelector('.list')?.setAttribute('data-loaded', 'true');
  } catch (error) {
    if (!scope.alive) return;
    caption.replaceChildren();
    tbody.replaceChildren(h('tr', {}, h('td', { colspan: 5 }, errorBox(error))));
  }
}

function emptyUniverseMessage() {
  return h(
    'span',
    {},
    'No reports yet. Start a run from ',
    h('a', { href: '#/executions' }, 'Executions'),
    ' or with ',
    h('code', {}, 'daybreak precompute'),
    '.',
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Report view

const SCORE_LABELS = {
  trend: 'Trend',
  momentum: 'Momentum',
  volatility_risk: 'Volatility risk',
  volume_liquidity: 'Volume & liquidity',
  news_sentiment: 'News sentiment',
  relative_strength: 'Relative strength',
};
const QUALITY_LABELS = {
  faithfulness: 'Faithfulness',
  completeness: 'Completeness',
  reasoning_quality: 'Reasoning',
  compliance: 'Compliance',
};
const REC_KIND = { BUY: 'stance-bullish', SELL: 'stance-bearish', HOLD: 'stance-neutral' };

async function reportView(symbol) {
  const scope = view;
  setView(symbol, h('p', { class: 'loading' }, `Loading the report of ${symbol}…`));
  let report;
  try {
    report = await api(`${API}/report/${encodeURIComponent(symbol)}`, { signal: scope.signal });
  } catch (error) {
    if (!scope.alive) return;
    const suggestions = Array.isArray(error?.details?.suggestions) ? error.details.suggestions : [];
    const notReady = error instanceof ApiError && error.code === 'report_not_ready';
    setView(
      symbol,
      h(
        'section',
        {},
        h('p', {}, h('a', { href: '#/', class: 'back' }, '← All tickers')),
        h('h1', {}, symbol),
        notReady
          ? h('div', { class: 'card not-ready' }, h('p', {}, error.message.replace(/ POST \S+ to generate it now\.$/, '')), generateNow(error.details?.ticker ?? symbol, scope))
          : errorBox(
              error,
              suggestions.length
                ? h('p', {}, 'Did you mean ', suggestions.map((s, i) => [i ? ', ' : '', h('a', { href: `#/report/${encodeURIComponent(s)}` }, s)]), '?')
                : null,
            ),
      ),
    );
    return;
  }
  if (!scope.alive) return;
  // A symbol typed in another form (nvda, NVDA) lands on the canonical address.
  if (report.ticker && report.ticker !== symbol) history.replaceState(null, '', `#/report/${encodeURIComponent(report.ticker)}`);
  setView(`${report.ticker} ${report.company_name ?? ''}`.trim(), renderReport(report));
}

/**
 * On-demand generation for a known ticker without a report: `POST /api/v1/report/:symbol` starts a one-ticker job;
 * its status is polled every second and the report is shown once it has landed.
 */
function generateNow(symbol, scope) {
  const status = h('p', { class: 'form-message', role: 'status', id: 'generate-status' });
  const button = h(
    'button',
    {
      type: 'button',
      class: 'button button--primary',
      id: 'generate-now',
      onClick: async () => {
        button.disabled = true;
        status.className = 'form-message';
        status.textContent = 'Starting…';
        try {
          let job = await api(`${API}/report/${encodeURIComponent(symbol)}`, { method: 'POST', body: {}, signal: scope.signal });
          while (scope.alive && (job.status === 'pending' || job.status === 'in_progress')) {
            status.textContent = job.status === 'pending' ? 'Waiting for a worker…' : 'Computing the report…';
            await new Promise((resolve) => scope.later(resolve, LIVE_POLL_MS));
            job = await api(job.status_url ?? `${API}/report/status/${encodeURIComponent(job.job_id)}`, { signal: scope.signal });
          }
          if (!scope.alive) return;
          if (job.status !== 'completed') throw new ApiError(500, 'job_failed', `The job failed: ${job.error ?? 'no reason given'}`);
          status.textContent = 'Done: loading the report…';
          // The server's copy follows the store within about a second; wait for it rather than show a 404.
          for (let i = 0; i < 10 && scope.alive; i++) {
            try {
              await api(`${API}/report/${encodeURIComponent(symbol)}`, { signal: scope.signal });
              break;
            } catch (error) {
              if (!(error instanceof ApiError) || error.status !== 404) throw error;
              await new Promise((resolve) => scope.later(resolve, 500));
            }
          }
          if (scope.alive) route();
        } catch (error) {
          if (!scope.alive) return;
          button.disabled = false;
          status.className = 'form-message form-message--error';
          status.textContent = error instanceof ApiError ? error.message : `Could not reach the server: ${error?.message ?? error}`;
        }
      },
    },
    'Generate it now',
  );
  return h('div', { class: 'run-form__actions' }, button, status);
}

function renderReport(r) {
  const lang = r.language === 'th' ? 'th' : r.language || 'en';
  const header = h(
    'header',
    { class: 'report-head' },
    h('p', {}, h('a', { href: '#/', class: 'back' }, '← All tickers')),
    h(
      'div',
      { class: 'report-head__main' },
      h(
        'div',
        {},
        h('h1', { class: 'report-title' }, h('span', { class: 'report-title__name' }, r.company_name), ' ', h('span', { class: 'report-title__sym' }, r.ticker)),
        h(
          'p',
          { class: 'report-meta' },
          [r.yahoo_symbol && `${r.yahoo_symbol} on ${r.exchange}`, r.sector, r.asset_type === 'etf' ? 'ETF' : null].filter(Boolean).join(' · '),
        ),
      ),
      h(
        'div',
        { class: 'quote' },
        h('span', { class: 'quote__price' }, fmtPrice(r.price, r.currency)),
        h(
          'span',
          { class: changeClass(r.price_change_pct) },
          isNum(r.price_change) ? `${r.price_change > 0 ? '+' : r.price_change < 0 ? '−' : ''}${fmtNumber(Math.abs(r.price_change))} ` : '',
          `(${fmtPct(r.price_change_pct)})`,
        ),
      ),
    ),
    h(
      'div',
      { class: 'verdict' },
      stanceBadge(r.stance),
      r.recommendation ? badge(r.recommendation, REC_KIND[r.recommendation] ?? 'muted', 'Recommendation') : null,
      r.confidence ? badge(`${r.confidence} confidence`, 'muted') : null,
      h('span', { class: 'asof' }, 'as of ', h('time', { datetime: r.as_of }, fmtDate(r.as_of))),
      freshnessBadges(r),
      h('span', { class: 'muted' }, 'generated ', time(r.generated_at, fmtAgo(r.generated_at) || fmtDateTime(r.generated_at))),
    ),
    r.stance_reasons?.length
      ? h('p', { class: 'reasons' }, h('span', { class: 'reasons__label' }, 'Why: '), r.stance_reasons.join('; '), '.')
      : null,
  );

  const warnings = (r.warnings ?? []).length
    ? h(
        'section',
        { class: 'warnings', 'aria-labelledby': 'warnings-title' },
        h('h2', { id: 'warnings-title', class: 'visually-hidden' }, 'Warnings'),
        h('ul', {}, r.warnings.map((w) => h('li', {}, w))),
      )
    : null;

  const chart = r.chart_url
    ? h(
        'figure',
        { class: 'chart' },
        h('img', {
          src: r.chart_url,
          width: 1200,
          height: 800,
          alt: `Price chart of ${r.ticker}: candles with moving averages and Bollinger bands, volume, RSI and MACD panels`,
          decoding: 'async',
          id: 'report-chart',
        }),
      )
    : h('p', { class: 'muted' }, 'No chart for this report.');

  const narrative = h('article', { class: 'narrative', lang, id: 'narrative', 'aria-label': 'Narrative' });
  narrative.append(renderMarkdown(r.narrative_report ?? '', { headingOffset: 0 }));

  const main = h(
    'div',
    { class: 'report-main' },
    h('section', { 'aria-labelledby': 'chart-title', class: 'card' }, h('h2', { id: 'chart-title' }, 'Chart'), chart),
    h('section', { 'aria-labelledby': 'narrative-title', class: 'card' }, h('h2', { id: 'narrative-title', class: 'visually-hidden' }, 'Analysis'), narrative),
    newsSection(r),
    metricsSection(r),
  );
  const side = h('aside', { class: 'report-side', 'aria-label': 'Scores, peers and quality' }, scoresSection(r), riskSection(r), peersSection(r), qualitySection(r), aboutSection(r));

  return h('div', { class: 'report', 'data-ticker': r.ticker }, header, warnings, h('div', { class: 'report-grid' }, main, side));
}

function bar(value, max, { label, kind = 'score', text } = {}) {
  const pct = isNum(value) ? Math.max(0, Math.min(100, (value / max) * 100)) : 0;
  const fill = h('span', { class: 'bar__fill' });
  fill.style.width = `${pct}%`;
  const band = !isNum(value) ? 'none' : pct >= 66.7 ? 'high' : pct >= 33.3 ? 'mid' : 'low';
  return h(
    'span',
    {
      class: `bar bar--${kind} bar--${band}`,
      role: 'meter',
      'aria-valuemin': 0,
      'aria-valuemax': max,
      'aria-valuenow': isNum(value) ? value : null,
      'aria-valuetext': text ?? (isNum(value) ? `${value} of ${max}` : 'not available'),
      'aria-label': label,
    },
    fill,
  );
}

function scoresSection(r) {
  const scores = r.user_facing_scores ?? [];
  return h(
    'section',
    { class: 'card scores', 'aria-labelledby': 'scores-title' },
    h('h2', { id: 'scores-title' }, 'Scores ', h('span', { class: 'muted small' }, '0–10')),
    h(
      'ul',
      { class: 'score-list' },
      scores.map((s) => {
        const label = SCORE_LABELS[s.category] ?? s.category;
        return h(
          'li',
          { class: 'score', 'data-category': s.category },
          h('div', { class: 'score__row' }, h('span', { class: 'score__label' }, label), h('span', { class: 'score__value' }, isNum(s.score) ? s.score.toFixed(1) : 'n/a')),
          bar(s.score, s.max_score ?? 10, { label }),
          h('p', { class: 'score__why' }, s.rationale),
        );
      }),
    ),
  );
}

function qualitySection(r) {
  const q = r.quality_scores;
  if (!q) return null;
  return h(
    'section',
    { class: 'card quality', 'aria-labelledby': 'quality-title' },
    h('h2', { id: 'quality-title' }, 'Narrative quality ', h('span', { class: 'muted small' }, '0–100')),
    h('div', { class: 'score__row score__row--big' }, h('span', {}, 'Overall'), h('span', { class: 'score__value' }, fmtNumber(q.overall, 1))),
    bar(q.overall, 100, { label: 'Overall quality', kind: 'quality' }),
    h(
      'ul',
      { class: 'score-list' },
      Object.entries(QUALITY_LABELS).map(([key, label]) => {
        const d = q[key];
        if (!d) return null;
        const subs = Object.entries(d.sub_scores ?? {});
        return h(
          'li',
          { class: 'score' },
          h('div', { class: 'score__row' }, h('span', { class: 'score__label' }, label), h('span', { class: 'score__value' }, fmtNumber(d.score, 1))),
          bar(d.score, 100, { label, kind: 'quality' }),
          subs.length || d.issues?.length
            ? h(
                'details',
                { class: 'quality__details' },
                h('summary', {}, d.issues?.length ? `${d.issues.length} issue${d.issues.length > 1 ? 's' : ''}` : 'Details'),
                h('dl', { class: 'subscores' }, subs.map(([k, v]) => [h('dt', {}, k.replaceAll('_', ' ')), h('dd', {}, fmtNumber(v, 0))])),
                d.issues?.length ? h('ul', { class: 'issues' }, d.issues.map((i) => h('li', {}, i))) : null,
              )
            : null,
        );
      }),
    ),
    q.scorer_version ? h('p', { class: 'muted small' }, `Scorer ${q.scorer_version}`) : null,
  );
}

function riskSection(r) {
  const risk = r.risk;
  if (!risk) return null;
  const kind = risk.risk_level === 'high' ? 'stance-bearish' : risk.risk_level === 'low' ? 'stance-bullish' : 'stance-neutral';
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'risk-title' },
    h('h2', { id: 'risk-title' }, 'Risk ', badge(risk.risk_level, kind)),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'Volatility regime'),
      h('dd', {}, risk.volatility_regime ?? DASH),
      h('dt', {}, 'ATR (% of price)'),
      h('dd', {}, fmtPct(risk.atr_pct, { signed: false }), isNum(risk.atr_pct_percentile) ? h('span', { class: 'muted' }, ` · pct ${Math.round(risk.atr_pct_percentile)}`) : null),
      h('dt', {}, '30-day volatility'),
      h('dd', {}, fmtPct(risk.volatility_30d_annualised, { signed: false, digits: 1 }), h('span', { class: 'muted' }, ' annualised')),
    ),
    risk.risk_bullets?.length ? h('ul', { class: 'bullets' }, risk.risk_bullets.map((b) => h('li', {}, b))) : null,
  );
}

function peersSection(r) {
  const peers = r.peers ?? [];
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'peers-title' },
    h('h2', { id: 'peers-title' }, 'Peers'),
    peers.length === 0
      ? h('p', { class: 'muted' }, 'No peers: correlations need other tickers with enough shared history.')
      : h(
          'table',
          { class: 'mini' },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Peer'), h('th', { scope: 'col', class: 'num', title: 'Correlation of daily returns' }, 'Corr.'), h('th', { scope: 'col', class: 'num' }, '1m'), h('th', { scope: 'col', class: 'num' }, 'Vol.'))),
          h(
            'tbody',
            {},
            peers.map((p) =>
              h(
                'tr',
                {},
                h('th', { scope: 'row', class: 'sym' }, h('a', { href: `#/report/${encodeURIComponent(p.ticker)}`, class: 'sym__link' }, p.ticker), h('span', { class: 'sym__name' }, p.company_name)),
                h('td', { class: 'num' }, fmtNumber(p.correlation, 2)),
                h('td', { class: 'num' }, h('span', { class: changeClass(p.return_1m_pct) }, fmtPct(p.return_1m_pct, { digits: 1 }))),
                h('td', { class: 'num' }, fmtPct(p.volatility_30d_pct, { signed: false, digits: 1 })),
              ),
            ),
          ),
        ),
    r.peer_comparison && isNum(r.peer_comparison.return_1m_vs_median_pct)
      ? h('p', { class: 'muted small' }, `1-month return ${fmtPct(r.peer_comparison.return_1m_vs_median_pct, { digits: 1 }).replace('%', ' pts')} vs the peers' median.`)
      : null,
    r.peer_comparison?.method ? h('details', { class: 'small' }, h('summary', {}, 'Method'), h('p', {}, r.peer_comparison.method)) : null,
  );
}

const SENTIMENT_KIND = { positive: 'stance-bullish', negative: 'stance-bearish', neutral: 'muted' };

function newsSection(r) {
  const items = r.news_items ?? [];
  const overall = r.overall_sentiment;
  let mix = null;
  if (overall && overall.count > 0) {
    const seg = (cls, pct) => {
      const el = h('span', { class: `mix__seg ${cls}` });
      el.style.width = `${pct}%`;
      return el;
    };
    mix = h(
      'div',
      { class: 'mix-wrap' },
      h(
        'div',
        { class: 'mix', role: 'img', 'aria-label': `${overall.positive_pct}% positive, ${overall.neutral_pct}% neutral, ${overall.negative_pct}% negative` },
        seg('mix__seg--pos', overall.positive_pct),
        seg('mix__seg--neu', overall.neutral_pct),
        seg('mix__seg--neg', overall.negative_pct),
      ),
      h(
        'p',
        { class: 'small muted' },
        `${overall.count} headline${overall.count === 1 ? '' : 's'}${r.news_window ? ` over ${r.news_window.days} days` : ''}: `,
        h('span', { class: 'chg--up' }, `${overall.positive_pct}% positive`),
        ` · ${overall.neutral_pct}% neutral · `,
        h('span', { class: 'chg--down' }, `${overall.negative_pct}% negative`),
      ),
    );
  }
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'news-title' },
    h('h2', { id: 'news-title' }, 'News'),
    mix,
    items.length === 0
      ? h('p', { class: 'muted' }, 'No headlines in the window.')
      : h(
          'ul',
          { class: 'news' },
          items.map((n) =>
            h(
              'li',
              { class: 'news__item' },
              badge(n.sentiment_label, SENTIMENT_KIND[n.sentiment_label] ?? 'muted', isNum(n.sentiment_score) ? `Sentiment score ${n.sentiment_score}` : null),
              h(
                'div',
                { class: 'news__body' },
                /^https?:\/\//i.test(n.url ?? '')
                  ? h('a', { href: n.url, target: '_blank', rel: 'noopener noreferrer nofollow', class: 'news__title' }, n.title)
                  : h('span', { class: 'news__title' }, n.title),
                h(
                  'span',
                  { class: 'news__meta' },
                  [n.source, n.published_at ? fmtDateTime(n.published_at) : null, isNum(n.impact_score) ? `impact ${Math.round(n.impact_score)}` : null].filter(Boolean).join(' · '),
                ),
              ),
            ),
          ),
        ),
  );
}

function metricsSection(r) {
  const metrics = r.technical_metrics ?? [];
  if (metrics.length === 0) return null;
  const kind = { bullish: 'stance-bullish', bearish: 'stance-bearish', neutral: 'muted', elevated_risk: 'stale' };
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'metrics-title' },
    h('h2', { id: 'metrics-title' }, 'Key readings'),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'mini metrics' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Reading'), h('th', { scope: 'col', class: 'num' }, 'Value'), h('th', { scope: 'col', class: 'num', title: "Percentile against the reading's own history" }, 'Pctl'), h('th', { scope: 'col' }, 'Signal'))),
        h(
          'tbody',
          {},
          metrics.map((m) =>
            h(
              'tr',
              {},
              h('th', { scope: 'row' }, h('span', { title: m.explanation }, m.name)),
              h('td', { class: 'num' }, fmtNumber(m.value, 2)),
              h('td', { class: 'num' }, isNum(m.percentile) ? Math.round(m.percentile) : DASH),
              h('td', {}, badge(m.status.replace('_', ' '), kind[m.status] ?? 'muted')),
            ),
          ),
        ),
      ),
    ),
  );
}

function aboutSection(r) {
  const stages = Object.entries(r.timing_metrics ?? {}).filter(([k, v]) => isNum(v) && k !== 'total_ms');
  const total = isNum(r.timing_metrics?.total_ms) ? r.timing_metrics.total_ms : stages.reduce((a, [, v]) => a + v, 0);
  const timings = stages;
  const cost = r.api_costs;
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'about-title' },
    h('h2', { id: 'about-title' }, 'About this report'),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'Business date'),
      h('dd', {}, fmtDate(r.business_date)),
      h('dt', {}, 'Data'),
      h('dd', {}, r.data_source ?? DASH, isNum(r.bars_used) ? h('span', { class: 'muted' }, ` · ${r.bars_used} bars`) : null),
      h('dt', {}, 'Execution'),
      h('dd', {}, r.execution_id ? h('a', { href: `#/executions/${encodeURIComponent(r.execution_id)}` }, r.execution_id) : DASH),
      h('dt', {}, 'Writer'),
      h('dd', {}, [r.narrative_writer, cost?.model].filter(Boolean).join(' · ') || DASH),
      h('dt', {}, 'Compute time'),
      h(
        'dd',
        {},
        timings.length ? fmtDuration(total) : DASH,
        timings.length
          ? h(
              'details',
              { class: 'small' },
              h('summary', {}, 'Stages'),
              h('dl', { class: 'subscores' }, timings.map(([k, v]) => [h('dt', {}, k.replace(/_ms$/, '').replaceAll('_', ' ')), h('dd', {}, fmtDuration(v))])),
            )
          : null,
      ),
      h('dt', {}, 'API cost'),
      h('dd', {}, cost ? `$${(cost.usd ?? 0).toFixed(4)}${cost.input_tokens || cost.output_tokens ? ` · ${cost.input_tokens}+${cost.output_tokens} tokens` : ''}` : DASH),
    ),
    h('p', { class: 'small' }, h('a', { href: `${API}/report/${encodeURIComponent(r.ticker)}`, type: 'application/json' }, 'Report JSON')),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Execution monitor

const STATUS_KIND = {
  running: 'running',
  in_progress: 'running',
  pending: 'muted',
  completed: 'stance-bullish',
  completed_with_failures: 'stale',
  failed: 'stance-bearish',
  timed_out: 'stance-bearish',
};
const statusBadge = (status) => badge(String(status).replaceAll('_', ' '), STATUS_KIND[status] ?? 'muted');

function progressBar(e) {
  const total = e.total ?? 0;
  const done = (e.completed ?? 0) + (e.failed ?? 0);
  const pct = total ? (done / total) * 100 : e.status === 'running' ? 0 : 100;
  const ok = h('span', { class: 'progress__ok' });
  const bad = h('span', { class: 'progress__bad' });
  ok.style.width = `${total ? ((e.completed ?? 0) / total) * 100 : 0}%`;
  bad.style.width = `${total ? ((e.failed ?? 0) / total) * 100 : 0}%`;
  return h(
    'div',
    {
      class: ['progress', e.status === 'running' && 'progress--live'],
      role: 'progressbar',
      'aria-valuemin': 0,
      'aria-valuemax': total,
      'aria-valuenow': done,
      'aria-valuetext': `${done} of ${total} done${e.failed ? `, ${e.failed} failed` : ''}`,
      'aria-label': `Progress of ${e.execution_id}`,
      'data-done': done,
      'data-total': total,
      'data-pct': Math.round(pct),
    },
    ok,
    bad,
  );
}

function progressText(e) {
  const total = e.total ?? 0;
  const done = (e.completed ?? 0) + (e.failed ?? 0);
  return `${done} / ${total}${total ? ` (${Math.round((done / total) * 100)}%)` : ''}`;
}

async function executionsView() {
  const scope = view;
  const body = h('div', { class: 'table-wrap' }, h('p', { class: 'loading' }, 'Loading executions…'));
  setView(
    'Executions',
    h(
      'section',
      { class: 'executions', 'aria-labelledby': 'exec-title' },
      h('div', { class: 'page-head' }, h('h1', { id: 'exec-title' }, 'Executions'), h('p', { class: 'muted' }, 'Recent precompute runs, newest first.')),
      runForm({}),
      body,
    ),
  );
  async function refresh() {
    let list;
    try {
      list = itemsOf(await api(`${API}/executions?limit=25`, { signal: scope.signal }), 'executions');
    } catch (error) {
      if (!scope.alive) return;
      body.replaceChildren(errorBox(error));
      scope.later(refresh, IDLE_POLL_MS);
      return;
    }
    if (!scope.alive) return;
    body.replaceChildren(executionsTable(list));
    scope.later(refresh, list.some((e) => e.status === 'running') ? LIVE_POLL_MS : IDLE_POLL_MS);
  }
  await refresh();
}

function executionsTable(list) {
  if (list.length === 0) return h('p', { class: 'muted' }, 'No executions yet.');
  return h(
    'table',
    { class: 'exec-table', id: 'executions-table' },
    h('caption', { class: 'visually-hidden' }, 'Recent executions'),
    h(
      'thead',
      {},
      h('tr', {}, h('th', { scope: 'col' }, 'Execution'), h('th', { scope: 'col' }, 'Status'), h('th', { scope: 'col', class: 'col-progress' }, 'Progress'), h('th', { scope: 'col', class: 'col-source' }, 'Source'), h('th', { scope: 'col' }, 'Started'), h('th', { scope: 'col', class: 'num' }, 'Duration')),
    ),
    h(
      'tbody',
      {},
      list.map((e) =>
        h(
          'tr',
          { 'data-execution': e.execution_id, 'data-status': e.status },
          h('th', { scope: 'row' }, h('a', { href: `#/executions/${encodeURIComponent(e.execution_id)}`, class: 'mono' }, e.execution_id)),
          h('td', {}, statusBadge(e.status)),
          h('td', { class: 'col-progress' }, h('div', { class: 'progress-cell' }, progressBar(e), h('span', { class: 'small muted' }, progressText(e), e.failed ? ` · ${e.failed} failed` : ''))),
          h('td', { class: 'col-source' }, e.source ?? DASH),
          h('td', {}, time(e.started_at)),
          h('td', { class: 'num' }, e.status === 'running' ? fmtDuration(Date.now() - Date.parse(e.started_at)) : fmtDuration(e.duration_ms)),
        ),
      ),
    ),
  );
}

function describeRequest(req) {
  if (!req || typeof req !== 'object') return 'all active tickers';
  const parts = [];
  if (req.only_failed) parts.push(`failed jobs of ${req.only_failed}`);
  if (Array.isArray(req.tickers) && req.tickers.length) parts.push(req.tickers.length > 8 ? `${req.tickers.length} tickers` : req.tickers.join(', '));
  if (isNum(req.limit)) parts.push(`first ${req.limit}`);
  return parts.join(' · ') || 'all active tickers';
}

async function executionView(id) {
  const scope = view;
  const content = h('div', {}, h('p', { class: 'loading' }, `Loading ${id}…`));
  setView(
    id,
    h(
      'section',
      { class: 'execution', 'aria-labelledby': 'execution-title' },
      h('p', {}, h('a', { href: '#/executions', class: 'back' }, '← All executions')),
      h('h1', { id: 'execution-title', class: 'mono' }, id),
      content,
    ),
  );
  let lastStatus = null;
  async function refresh() {
    let e;
    try {
      e = await api(`${API}/executions/${encodeURIComponent(id)}`, { signal: scope.signal });
    } catch (error) {
      if (!scope.alive) return;
      content.replaceChildren(errorBox(error));
      if (!(error instanceof ApiError && error.status === 404)) scope.later(refresh, LIVE_POLL_MS * 3);
      return;
    }
    if (!scope.alive) return;
    content.replaceChildren(renderExecution(e));
    if (lastStatus === 'running' && e.status !== 'running') {
      announce(`Execution ${e.status.replaceAll('_', ' ')}: ${e.completed} completed, ${e.failed} failed.`);
    }
    lastStatus = e.status;
    if (e.status === 'running') scope.later(refresh, LIVE_POLL_MS);
  }
  await refresh();
}

const JOB_ORDER = { in_progress: 0, failed: 1, pending: 2, completed: 3 };

function renderExecution(e) {
  const jobs = [...(e.jobs ?? [])].sort((a, b) => a.ticker.localeCompare(b.ticker));
  const counts = {};
  for (const j of jobs) counts[j.status] = (counts[j.status] ?? 0) + 1;
  const running = e.status === 'running';
  return h(
    'div',
    { class: 'execution__body', 'data-status': e.status },
    h(
      'div',
      { class: 'card exec-summary' },
      h(
        'div',
        { class: 'exec-summary__top' },
        statusBadge(e.status),
        h('span', { class: 'exec-summary__count', id: 'execution-progress-text' }, progressText(e)),
        e.failed ? h('span', { class: 'chg--down' }, `${e.failed} failed`) : null,
        running ? h('span', { class: 'muted small' }, `updating every ${LIVE_POLL_MS / 1000} s`) : null,
      ),
      progressBar(e),
      h(
        'dl',
        { class: 'facts facts--grid' },
        h('dt', {}, 'Source'),
        h('dd', {}, e.source ?? DASH),
        h('dt', {}, 'Requested'),
        h('dd', {}, describeRequest(e.requested)),
        h('dt', {}, 'Business date'),
        h('dd', {}, fmtDate(e.business_date)),
        h('dt', {}, 'Started'),
        h('dd', {}, time(e.started_at)),
        h('dt', {}, running ? 'Deadline' : 'Finished'),
        h('dd', {}, running ? time(e.deadline_at) : time(e.finished_at)),
        h('dt', {}, 'Duration'),
        h('dd', {}, running ? `${fmtDuration(Date.now() - Date.parse(e.started_at))} so far` : fmtDuration(e.duration_ms)),
        h('dt', {}, 'Slowest job'),
        h('dd', {}, fmtDuration(e.slowest_job_ms)),
        h('dt', {}, 'Cost'),
        h('dd', {}, isNum(e.cost_usd) ? `$${e.cost_usd.toFixed(4)}` : DASH),
      ),
    ),
    e.failures?.length
      ? h(
          'section',
          { class: 'card failures', 'aria-labelledby': 'failures-title' },
          h('h2', { id: 'failures-title' }, `Failures (${e.failures.length})`),
          h('ul', {}, e.failures.map((f) => h('li', {}, h('strong', {}, f.ticker), ': ', f.error))),
          running ? null : runForm({ onlyFailed: e.execution_id }),
        )
      : null,
    h(
      'section',
      { 'aria-labelledby': 'jobs-title' },
      h(
        'h2',
        { id: 'jobs-title' },
        'Jobs ',
        h('span', { class: 'muted small' }, Object.entries(counts).sort(([a], [b]) => (JOB_ORDER[a] ?? 9) - (JOB_ORDER[b] ?? 9)).map(([s, n]) => `${n} ${s.replace('_', ' ')}`).join(' · ')),
      ),
      jobs.length === 0
        ? h('p', { class: 'muted' }, 'No per-ticker detail.')
        : h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'exec-table jobs', id: 'jobs-table' },
              h(
                'thead',
                {},
                h('tr', {}, h('th', { scope: 'col' }, 'Ticker'), h('th', { scope: 'col' }, 'Status'), h('th', { scope: 'col', class: 'num' }, 'Attempts'), h('th', { scope: 'col' }, 'Started'), h('th', { scope: 'col', class: 'num' }, 'Duration'), h('th', { scope: 'col' }, 'Error')),
              ),
              h(
                'tbody',
                {},
                jobs.map((j) =>
                  h(
                    'tr',
                    { 'data-ticker': j.ticker, 'data-status': j.status },
                    h('th', { scope: 'row' }, j.status === 'completed' ? h('a', { href: `#/report/${encodeURIComponent(j.ticker)}` }, j.ticker) : j.ticker),
                    h('td', {}, statusBadge(j.status)),
                    h('td', { class: 'num' }, j.attempts ?? DASH),
                    h('td', {}, j.started_at ? time(j.started_at) : DASH),
                    h('td', { class: 'num' }, j.status === 'in_progress' && j.started_at ? fmtDuration(Date.now() - Date.parse(j.started_at)) : fmtDuration(j.duration_ms)),
                    h('td', { class: 'error-cell' }, j.error ?? ''),
                  ),
                ),
              ),
            ),
          ),
    ),
  );
}

/**
 * Starts a run through `POST /api/v1/precompute`. The admin token is kept in sessionStorage only: it lasts as long as
 * the tab and is never written anywhere else.
 */
function runForm({ onlyFailed }) {
  const saved = sessionStorage.getItem(TOKEN_KEY) ?? '';
  const idSuffix = onlyFailed ? '-failed' : '';
  const tokenInput = h('input', { type: 'password', id: `admin-token${idSuffix}`, name: 'token', autocomplete: 'off', required: true, value: saved, spellcheck: 'false' });
  const tickersInput = onlyFailed ? null : h('input', { type: 'text', id: `run-tickers${idSuffix}`, name: 'tickers', placeholder: 'all active tickers', autocomplete: 'off', spellcheck: 'false' });
  const limitInput = onlyFailed ? null : h('input', { type: 'number', id: `run-limit${idSuffix}`, name: 'limit', min: 1, step: 1, inputmode: 'numeric', placeholder: 'no limit' });
  const message = h('p', { class: 'form-message', role: 'status' });
  const submit = h('button', { type: 'submit', class: 'button button--primary' }, onlyFailed ? 'Re-run failed tickers' : 'Run now');
  const forget = h(
    'button',
    {
      type: 'button',
      class: 'button button--quiet',
      onClick: () => {
        sessionStorage.removeItem(TOKEN_KEY);
        tokenInput.value = '';
        message.textContent = 'Token forgotten.';
      },
    },
    'Forget token',
  );
  const form = h(
    'form',
    {
      class: ['run-form', onlyFailed ? 'run-form--inline' : 'card'],
      id: `run-form${idSuffix}`,
      'aria-label': onlyFailed ? 'Re-run the failed tickers' : 'Start a precompute run',
      onSubmit: async (event) => {
        event.preventDefault();
        const token = tokenInput.value.trim();
        if (!token) {
          message.textContent = 'The admin token is required.';
          tokenInput.focus();
          return;
        }
        sessionStorage.setItem(TOKEN_KEY, token);
        const request = {};
        if (onlyFailed) request.only_failed = onlyFailed;
        const tickers = (tickersInput?.value ?? '').split(/[\s,]+/).filter(Boolean);
        if (tickers.length) request.tickers = tickers;
        if (limitInput?.value) request.limit = Number(limitInput.value);
        submit.disabled = true;
        message.className = 'form-message';
        message.textContent = 'Starting…';
        try {
          const res = await api(`${API}/precompute`, { method: 'POST', body: request, token });
          const id = res?.execution_id;
          message.textContent = `Started ${id}.`;
          announce(`Execution ${id} started.`);
          if (id) location.hash = `#/executions/${encodeURIComponent(id)}`;
        } catch (error) {
          message.className = 'form-message form-message--error';
          if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
            sessionStorage.removeItem(TOKEN_KEY);
            message.textContent = `The admin token was refused (${error.status}). ${error.message}`;
          } else message.textContent = error instanceof ApiError ? error.message : `Could not reach the server: ${error?.message ?? error}`;
        } finally {
          submit.disabled = false;
        }
      },
    },
    onlyFailed ? null : h('h2', { class: 'run-form__title' }, 'Run now'),
    h(
      'div',
      { class: 'run-form__fields' },
      h('label', { class: 'field', for: tokenInput.id }, h('span', { class: 'field__label' }, 'Admin token'), tokenInput),
      tickersInput ? h('label', { class: 'field field--wide', for: tickersInput.id }, h('span', { class: 'field__label' }, 'Tickers (optional)'), tickersInput) : null,
      limitInput ? h('label', { class: 'field field--narrow', for: limitInput.id }, h('span', { class: 'field__label' }, 'Limit'), limitInput) : null,
      h('div', { class: 'run-form__actions' }, submit, saved ? forget : null),
    ),
    message,
    onlyFailed ? null : h('p', { class: 'small muted' }, 'The token is kept in this tab only (sessionStorage) and sent as a Bearer header.'),
  );
  return form;
}

// ---------------------------------------------------------------------------------------------------------------

document.querySelector('.skip-link')?.addEventListener('click', (event) => {
  // The hash belongs to the router: focus the content instead of navigating to #app.
  event.preventDefault();
  app.focus();
});
window.addEventListener('hashchange', route);
route();
