/**
 * The page's DOM builder and the formatting every view shares. Safety: every piece of server text goes into the page
 * as a text node (`h()` never parses HTML), so a report can never inject markup. Numbers, dates and relative times
 * are formatted here with `Intl` in the page's locale (strings.js: th-TH or en-US).
 */
import { LOCALE, S } from './strings.js';

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

/** `Intl` formatters of the page's locale, made once per locale and options (the language can change in place). */
const formatters = new Map();
function cached(kind, options) {
  const key = `${kind}|${LOCALE}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    const Ctor = { number: Intl.NumberFormat, date: Intl.DateTimeFormat, relative: Intl.RelativeTimeFormat }[kind];
    f = new Ctor(LOCALE, options);
    formatters.set(key, f);
  }
  return f;
}

/** A number in the page's locale with exactly `digits` decimals (more options: `Intl.NumberFormat`'s). */
export function fmtNumber(v, digits = 2, options = {}) {
  return isNum(v) ? cached('number', { minimumFractionDigits: digits, maximumFractionDigits: digits, ...options }).format(v) : DASH;
}

export function fmtPrice(v, currency) {
  if (!isNum(v)) return DASH;
  const digits = Math.abs(v) >= 1000 ? 0 : Math.abs(v) >= 1 ? 2 : 4;
  return `${fmtNumber(v, digits)}${currency ? ` ${currency}` : ''}`;
}

/** A percentage with its sign (a true minus, U+2212, like the reports). */
export function fmtPct(v, { signed = true, digits = 2 } = {}) {
  if (!isNum(v)) return DASH;
  const s = fmtNumber(Math.abs(v), digits);
  return `${signed ? (v > 0 ? '+' : v < 0 ? '−' : '') : v < 0 ? '−' : ''}${s}%`;
}

export function changeClass(v) {
  return !isNum(v) || v === 0 ? 'chg chg--flat' : v > 0 ? 'chg chg--up' : 'chg chg--down';
}

export function fmtDate(ymd) {
  if (typeof ymd !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(ymd)) return ymd ?? DASH;
  return cached('date', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${ymd.slice(0, 10)}T00:00:00Z`));
}

/** Business dates are Asia/Bangkok dates: timestamps are shown in Bangkok time too, so the two agree. */
export function fmtDateTime(iso) {
  if (!iso) return DASH;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const f = cached('date', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZone: 'Asia/Bangkok' });
  return `${f.format(d)} ${S.timeZone}`;
}

/** "1 hour ago" / "1 ชั่วโมงที่แล้ว", "now" / "ขณะนี้": Intl's words, not ours. */
export function fmtAgo(iso) {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const s = (t - Date.now()) / 1000;
  const abs = Math.abs(s);
  const rel = cached('relative', { numeric: 'auto' });
  if (abs < 45) return rel.format(0, 'second');
  if (abs < 3600) return rel.format(Math.round(s / 60), 'minute');
  if (abs < 86400) return rel.format(Math.round(s / 3600), 'hour');
  return rel.format(Math.round(s / 86400), 'day');
}

const unit = (v, name, digits = 0) => cached('number', { style: 'unit', unit: name, unitDisplay: 'short', maximumFractionDigits: digits, minimumFractionDigits: digits }).format(v);
export function fmtDuration(ms) {
  if (!isNum(ms)) return DASH;
  if (ms < 1000) return unit(Math.round(ms), 'millisecond');
  if (ms < 60_000) return unit(ms / 1000, 'second', 1);
  return `${unit(Math.floor(ms / 60_000), 'minute')} ${unit(Math.round((ms % 60_000) / 1000), 'second')}`;
}

/**
 * The language of a piece of server text, for its `lang` attribute: the report's reasons, rationales and bullets come
 * in the report's language (a report stored before they did says them in English), whatever the page's.
 */
export const textLang = (text) => (/[\u0E00-\u0E7F]/.test(String(text ?? '')) ? 'th' : 'en');

export function time(iso, text) {
  return h('time', { datetime: iso, title: iso }, text ?? fmtDateTime(iso));
}

export function badge(text, kind, title) {
  return h('span', { class: `badge badge--${kind}`, title }, text);
}

export const STANCE_KINDS = ['bullish', 'bearish', 'neutral'];
export function stanceBadge(stance) {
  if (!stance) return badge(S.noReport, 'muted');
  const known = STANCE_KINDS.includes(stance);
  return badge(known ? S.stance[stance] : stance, `stance-${known ? stance : 'neutral'}`);
}

/** BUY / HOLD / SELL in the page's words (ซื้อ / ถือ / ขาย). */
export const recLabel = (rec) => S.recommendation[rec] ?? rec;

export function freshnessBadges(row) {
  return [
    row.stale ? badge(S.stale, 'stale', S.staleTitle) : null,
    row.data_source === 'demo' ? badge(S.demo, 'demo', S.demoTitle) : null,
  ];
}

export function announce(message) {
  live.textContent = '';
  // A fresh text node makes screen readers announce the same message twice in a row too.
  setTimeout(() => (live.textContent = message), 30);
}
