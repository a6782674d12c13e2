/**
 * The page's DOM builder and the formatting every view shares. Safety: every piece of server text goes into the page
 * as a text node (`h()` never parses HTML), so a report can never inject markup. The formats are English (en-GB dates,
 * en-US numbers) in this one place.
 */

const live = /** @type {HTMLElement} */ (document.getElementById('live'));

/**
 * Creates an element. `props`: `class`, `text`, `on{Event}` handlers, anything else as an attribute (false/null
 * skipped). Children: nodes, strings (as text nodes), arrays, null/false (skipped).
 */
export function h(tag, props = {}, ...children) {
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

export function append(parent, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export const isNum = (v) => typeof v === 'number' && Number.isFinite(v);
export const DASH = '—';

export function fmtNumber(v, digits = 2) {
  return isNum(v) ? v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : DASH;
}

export function fmtPrice(v, currency) {
  if (!isNum(v)) return DASH;
  const digits = Math.abs(v) >= 1000 ? 0 : Math.abs(v) >= 1 ? 2 : 4;
  return `${v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}${currency ? ` ${currency}` : ''}`;
}

export function fmtPct(v, { signed = true, digits = 2 } = {}) {
  if (!isNum(v)) return DASH;
  const s = Math.abs(v).toFixed(digits);
  return `${signed ? (v > 0 ? '+' : v < 0 ? '−' : '') : v < 0 ? '−' : ''}${s}%`;
}

export function changeClass(v) {
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

export function fmtDate(ymd) {
  if (typeof ymd !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(ymd)) return ymd ?? DASH;
  return dateFmt.format(new Date(`${ymd.slice(0, 10)}T00:00:00Z`));
}

export function fmtDateTime(iso) {
  if (!iso) return DASH;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : `${dateTimeFmt.format(d)} ICT`;
}

const relFmt = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
export function fmtAgo(iso) {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const s = (t - Date.now()) / 1000;
  const abs = Math.abs(s);
  if (abs < 45) return 'just now';
  if (abs < 3600) return relFmt.format(Math.round(s / 60), 'minute');
  if (abs < 86400) return relFmt.format(Math.round(s / 3600), 'hour');
  return relFmt.format(Math.round(s / 86400), 'day');
}

export function fmtDuration(ms) {
  if (!isNum(ms)) return DASH;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const min = Math.floor(ms / 60_000);
  return `${min} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function time(iso, text) {
  return h('time', { datetime: iso, title: iso }, text ?? fmtDateTime(iso));
}

export function badge(text, kind, title) {
  return h('span', { class: `badge badge--${kind}`, title }, text);
}

export const STANCE_LABEL = { bullish: 'Bullish', bearish: 'Bearish', neutral: 'Neutral' };
export function stanceBadge(stance) {
  if (!stance) return badge('no report', 'muted');
  return badge(STANCE_LABEL[stance] ?? stance, `stance-${STANCE_LABEL[stance] ? stance : 'neutral'}`);
}

export function freshnessBadges(row) {
  return [
    row.stale
      ? badge('stale', 'stale', "Served after its business date: today's report is not computed yet")
      : null,
    row.data_source === 'demo' ? badge('demo data', 'demo', 'Synthetic prices and headlines generated offline, not market data') : null,
  ];
}

export function announce(message) {
  live.textContent = '';
  // A fresh text node makes screen readers announce the same message twice in a row too.
  setTimeout(() => (live.textContent = message), 30);
}
