/**
 * The track-record view (`#/track-record`, `#/track-record/SYMBOL`): how the calls did. Hit rate by call and horizon
 * with its Wilson 95% interval (drawn as a bar and a whisker), the baselines side by side, calibration by
 * confidence, and, for one ticker, its calls drawn over the price line. Every chart is an SVG built here from the
 * API's numbers (no chart library, nothing parsed as markup).
 */
import { API, api, errorBox } from './api.js';
import { DASH, fmtDate, fmtNumber, fmtPct, h, isNum, recLabel } from './dom.js';
import { setView } from './router.js';
import { S } from './strings.js';

const SVG = 'http://www.w3.org/2000/svg';
function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  for (const c of children) if (c) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

const pct = (x) => (isNum(x) ? `${fmtNumber(x * 100, 1)}%` : DASH);
const interval = (ci) => (ci ? `${fmtNumber(ci[0] * 100, 1)}–${fmtNumber(ci[1] * 100, 1)}%` : DASH);
const CALL_CLASS = { BUY: 'tr-buy', SELL: 'tr-sell', HOLD: 'tr-hold' };

/** A 0–100% bar with the interval's whisker and a 50% line: a hit rate you can compare at a glance. */
function rateBar(rate, ci) {
  const w = 160;
  const x = (v) => Math.max(0, Math.min(1, v)) * w;
  return s(
    'svg',
    { class: 'tr-rate', width: w, height: 14, viewBox: `0 0 ${w} 14`, role: 'img', 'aria-label': S.trackRecord.rateAria(pct(rate), interval(ci)) },
    s('rect', { x: 0, y: 3, width: w, height: 8, class: 'tr-rate__track' }),
    isNum(rate) ? s('rect', { x: 0, y: 3, width: x(rate), height: 8, class: 'tr-rate__bar' }) : null,
    ci ? s('line', { x1: x(ci[0]), x2: x(ci[1]), y1: 7, y2: 7, class: 'tr-rate__ci' }) : null,
    ci ? s('line', { x1: x(ci[0]), x2: x(ci[0]), y1: 2, y2: 12, class: 'tr-rate__ci' }) : null,
    ci ? s('line', { x1: x(ci[1]), x2: x(ci[1]), y1: 2, y2: 12, class: 'tr-rate__ci' }) : null,
    s('line', { x1: x(0.5), x2: x(0.5), y1: 0, y2: 14, class: 'tr-rate__half' }),
  );
}

function summaryTable(caption, rows, first = (r) => r.recommendation, label = recLabel) {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'tr-table' },
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, ...S.trackRecord.columns.map((t) => h('th', { scope: 'col' }, t)))),
      h(
        'tbody',
        {},
        ...rows.map((r) =>
          h(
            'tr',
            { 'data-row': `${first(r)}-${r.horizon}`, class: CALL_CLASS[first(r)] ?? 'tr-other' },
            h('th', { scope: 'row' }, label(first(r))),
            h('td', {}, r.horizon),
            h('td', {}, r.count),
            h('td', { class: 'num' }, pct(r.hit_rate)),
            h('td', { class: 'num' }, interval(r.hit_rate_ci95)),
            h('td', {}, rateBar(r.hit_rate, r.hit_rate_ci95)),
            h('td', { class: 'num' }, r.mean_return_pct === undefined ? '' : fmtPct(r.mean_return_pct)),
            h('td', { class: 'num' }, r.mean_excess_pct === undefined ? '' : fmtPct(r.mean_excess_pct)),
          ),
        ),
      ),
    ),
  );
}

function verdictTable(verdict) {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'tr-table tr-verdict' },
      h('caption', {}, S.trackRecord.verdict),
      h('thead', {}, h('tr', {}, ...S.trackRecord.verdictColumns.map((t) => h('th', { scope: 'col' }, t)))),
      h(
        'tbody',
        {},
        ...verdict.map((v) =>
          h(
            'tr',
            {},
            h('td', {}, v.horizon),
            h('th', { scope: 'row' }, v.baseline),
            h('td', {}, `${pct(v.daybreak.hit_rate)} (${interval(v.daybreak.hit_rate_ci95)})`),
            h('td', {}, `${pct(v.baseline_record.hit_rate)} (${interval(v.baseline_record.hit_rate_ci95)})`),
            h('td', { class: `tr-outcome tr-outcome--${v.outcome}` }, S.trackRecord.outcome[v.outcome] ?? v.outcome),
          ),
        ),
      ),
    ),
  );
}

/** The ticker's closes with each call marked on its date: BUY ▲ green, SELL ▼ red, HOLD a grey dot. */
function callsOverPrice(calls) {
  const W = 900;
  const H = 260;
  const pad = { l: 56, r: 12, t: 12, b: 28 };
  if (calls.length < 2) return h('p', { class: 'muted' }, S.trackRecord.notEnough);
  const t0 = Date.parse(calls[0].business_date);
  const t1 = Date.parse(calls[calls.length - 1].business_date);
  const closes = calls.map((c) => c.close);
  const lo = Math.min(...closes);
  const hi = Math.max(...closes);
  const x = (c) => pad.l + ((Date.parse(c.business_date) - t0) / Math.max(1, t1 - t0)) * (W - pad.l - pad.r);
  const y = (v) => pad.t + (1 - (v - lo) / Math.max(1e-9, hi - lo)) * (H - pad.t - pad.b);
  const line = calls.map((c, i) => `${i ? 'L' : 'M'}${x(c).toFixed(1)},${y(c.close).toFixed(1)}`).join('');
  const marks = calls.map((c) => {
    const cx = x(c);
    const cy = y(c.close);
    const title = s('title', {}, S.trackRecord.markTitle(c.business_date, recLabel(c.recommendation), fmtNumber(c.close)));
    if (c.recommendation === 'BUY') return s('path', { d: `M${cx},${cy - 9}l4,6h-8z`, class: 'tr-mark tr-buy', 'data-call': 'BUY' }, title);
    if (c.recommendation === 'SELL') return s('path', { d: `M${cx},${cy + 9}l4,-6h-8z`, class: 'tr-mark tr-sell', 'data-call': 'SELL' }, title);
    return s('circle', { cx, cy, r: 1.6, class: 'tr-mark tr-hold', 'data-call': 'HOLD' }, title);
  });
  const ticks = [lo, (lo + hi) / 2, hi].map((v) =>
    s('text', { x: pad.l - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'tr-axis' }, fmtNumber(v)),
  );
  return s(
    'svg',
    { class: 'tr-price', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': S.trackRecord.priceAria(calls.length, calls[0].business_date, calls[calls.length - 1].business_date) },
    s('path', { d: line, class: 'tr-line' }),
    ...marks,
    ...ticks,
    s('text', { x: pad.l, y: H - 8, class: 'tr-axis' }, fmtDate(calls[0].business_date)),
    s('text', { x: W - pad.r, y: H - 8, 'text-anchor': 'end', class: 'tr-axis' }, fmtDate(calls[calls.length - 1].business_date)),
  );
}

export async function trackRecordView(scope, symbol) {
  const title = symbol ? S.trackRecord.titleOf(symbol) : S.trackRecord.title;
  setView(title, h('p', { class: 'loading' }, S.trackRecord.loading));
  let record;
  try {
    record = await api(`${API}/track-record${symbol ? `/${encodeURIComponent(symbol)}` : ''}`, { signal: scope.signal });
  } catch (error) {
    if (scope.alive) setView(title, h('section', {}, h('h1', {}, title), errorBox(error)));
    return;
  }
  if (!scope.alive) return;
  const heading = h('h1', {}, symbol ? S.trackRecord.headingOf(record.ticker) : S.trackRecord.title);
  if (record.sample_size === 0) {
    setView(title, h('section', { class: 'track-record' }, heading, h('p', {}, S.trackRecord.noCalls[0], h('code', {}, 'daybreak backtest --from DATE --to DATE'), S.trackRecord.noCalls[1])));
    return;
  }
  const tickers = [...new Set(record.calls.map((c) => c.ticker))].sort();
  setView(
    title,
    h(
      'section',
      { class: 'track-record', 'aria-labelledby': 'tr-title' },
      Object.assign(heading, { id: 'tr-title' }),
      h('p', { class: 'tr-sample' }, S.trackRecord.sample(record.sample_size, fmtDate(record.from), fmtDate(record.to)), h('span', { lang: 'en' }, record.grading)),
      symbol ? h('figure', { class: 'tr-figure' }, callsOverPrice(record.calls), h('figcaption', {}, S.trackRecord.figcaption)) : null,
      summaryTable(S.trackRecord.summary, record.summary),
      verdictTable(record.verdict),
      summaryTable(S.trackRecord.calibration, record.calibration, (r) => r.confidence, (c) => S.confidence[c] ?? c),
      ...record.baselines.map((b) => summaryTable(S.trackRecord.baseline(b.strategy, b.rule), b.summary)),
      h('p', {}, S.trackRecord.flip(fmtNumber(record.flip_rate.changes_per_ticker_month))),
      !symbol && tickers.length
        ? h('nav', { class: 'tr-tickers', 'aria-label': S.trackRecord.perTickerLabel }, S.trackRecord.perTicker, ...tickers.map((t) => [h('a', { href: `#/track-record/${encodeURIComponent(t)}` }, t), ' ']))
        : null,
      symbol ? h('p', {}, h('a', { href: `#/report/${encodeURIComponent(record.ticker)}` }, S.trackRecord.latestOf(record.ticker)), ' · ', h('a', { href: '#/track-record' }, S.trackRecord.universe)) : null,
    ),
  );
}
