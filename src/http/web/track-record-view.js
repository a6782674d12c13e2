/**
 * The track-record view (`#/track-record`, `#/track-record/SYMBOL`): how the calls did. Hit rate by call and horizon
 * with its Wilson 95% interval (drawn as a bar and a whisker), the baselines side by side, calibration by
 * confidence, and, for one ticker, its calls drawn over the price line. Every chart is an SVG built here from the
 * API's numbers (no chart library, nothing parsed as markup).
 */
import { API, api, errorBox } from './api.js';
import { DASH, fmtDate, fmtNumber, fmtPct, h, isNum } from './dom.js';
import { setView } from './router.js';

const SVG = 'http://www.w3.org/2000/svg';
function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  for (const c of children) if (c) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

const pct = (x) => (isNum(x) ? `${(x * 100).toFixed(1)}%` : DASH);
const interval = (ci) => (ci ? `${(ci[0] * 100).toFixed(1)}–${(ci[1] * 100).toFixed(1)}%` : DASH);
const CALL_CLASS = { BUY: 'tr-buy', SELL: 'tr-sell', HOLD: 'tr-hold' };

/** A 0–100% bar with the interval's whisker and a 50% line: a hit rate you can compare at a glance. */
function rateBar(rate, ci) {
  const w = 160;
  const x = (v) => Math.max(0, Math.min(1, v)) * w;
  return s(
    'svg',
    { class: 'tr-rate', width: w, height: 14, viewBox: `0 0 ${w} 14`, role: 'img', 'aria-label': `hit rate ${pct(rate)}, 95% interval ${interval(ci)}` },
    s('rect', { x: 0, y: 3, width: w, height: 8, class: 'tr-rate__track' }),
    isNum(rate) ? s('rect', { x: 0, y: 3, width: x(rate), height: 8, class: 'tr-rate__bar' }) : null,
    ci ? s('line', { x1: x(ci[0]), x2: x(ci[1]), y1: 7, y2: 7, class: 'tr-rate__ci' }) : null,
    ci ? s('line', { x1: x(ci[0]), x2: x(ci[0]), y1: 2, y2: 12, class: 'tr-rate__ci' }) : null,
    ci ? s('line', { x1: x(ci[1]), x2: x(ci[1]), y1: 2, y2: 12, class: 'tr-rate__ci' }) : null,
    s('line', { x1: x(0.5), x2: x(0.5), y1: 0, y2: 14, class: 'tr-rate__half' }),
  );
}

function summaryTable(caption, rows, first = (r) => r.recommendation) {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'tr-table' },
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, ...['', 'bars', 'n', 'hit rate', '95% interval', '', 'mean return', 'mean excess'].map((t) => h('th', { scope: 'col' }, t)))),
      h(
        'tbody',
        {},
        ...rows.map((r) =>
          h(
            'tr',
            { 'data-row': `${first(r)}-${r.horizon}` },
            h('th', { scope: 'row' }, first(r)),
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
  const label = { better: 'better', worse: 'worse', no_clear_difference: 'no clear difference', not_enough_data: 'not enough data' };
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'tr-table tr-verdict' },
      h('caption', {}, 'Daybreak against the baselines (BUY and SELL calls pooled; intervals that overlap are no clear difference)'),
      h('thead', {}, h('tr', {}, ...['bars', 'baseline', 'Daybreak', 'baseline', 'Daybreak is'].map((t) => h('th', { scope: 'col' }, t)))),
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
            h('td', { class: `tr-outcome tr-outcome--${v.outcome}` }, label[v.outcome] ?? v.outcome),
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
  if (calls.length < 2) return h('p', { class: 'muted' }, 'Not enough calls to draw.');
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
    const title = s('title', {}, `${c.business_date} ${c.recommendation} at ${fmtNumber(c.close)}`);
    if (c.recommendation === 'BUY') return s('path', { d: `M${cx},${cy - 9}l4,6h-8z`, class: 'tr-mark tr-buy', 'data-call': 'BUY' }, title);
    if (c.recommendation === 'SELL') return s('path', { d: `M${cx},${cy + 9}l4,-6h-8z`, class: 'tr-mark tr-sell', 'data-call': 'SELL' }, title);
    return s('circle', { cx, cy, r: 1.6, class: 'tr-mark tr-hold', 'data-call': 'HOLD' }, title);
  });
  const ticks = [lo, (lo + hi) / 2, hi].map((v) =>
    s('text', { x: pad.l - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'tr-axis' }, fmtNumber(v)),
  );
  return s(
    'svg',
    { class: 'tr-price', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `price line with ${calls.length} calls from ${calls[0].business_date} to ${calls[calls.length - 1].business_date}` },
    s('path', { d: line, class: 'tr-line' }),
    ...marks,
    ...ticks,
    s('text', { x: pad.l, y: H - 8, class: 'tr-axis' }, fmtDate(calls[0].business_date)),
    s('text', { x: W - pad.r, y: H - 8, 'text-anchor': 'end', class: 'tr-axis' }, fmtDate(calls[calls.length - 1].business_date)),
  );
}

export async function trackRecordView(scope, symbol) {
  const title = symbol ? `Track record · ${symbol}` : 'Track record';
  setView(title, h('p', { class: 'loading' }, 'Loading the track record…'));
  let record;
  try {
    record = await api(`${API}/track-record${symbol ? `/${encodeURIComponent(symbol)}` : ''}`, { signal: scope.signal });
  } catch (error) {
    if (scope.alive) setView(title, h('section', {}, h('h1', {}, title), errorBox(error)));
    return;
  }
  if (!scope.alive) return;
  const heading = h('h1', {}, symbol ? `Track record of ${record.ticker}` : 'Track record');
  if (record.sample_size === 0) {
    setView(title, h('section', { class: 'track-record' }, heading, h('p', {}, 'No calls recorded yet. Run ', h('code', {}, 'daybreak backtest --from DATE --to DATE'), ' to replay past dates.')));
    return;
  }
  const tickers = [...new Set(record.calls.map((c) => c.ticker))].sort();
  setView(
    title,
    h(
      'section',
      { class: 'track-record', 'aria-labelledby': 'tr-title' },
      Object.assign(heading, { id: 'tr-title' }),
      h('p', { class: 'tr-sample' }, `${record.sample_size} calls from ${fmtDate(record.from)} to ${fmtDate(record.to)}. `, record.grading),
      symbol ? h('figure', { class: 'tr-figure' }, callsOverPrice(record.calls), h('figcaption', {}, 'Calls over the closing price: ▲ BUY, ▼ SELL, · HOLD.')) : null,
      summaryTable('Hit rate by call and horizon (trading bars)', record.summary),
      verdictTable(record.verdict),
      summaryTable('Calibration: BUY and SELL calls by confidence', record.calibration, (r) => r.confidence),
      ...record.baselines.map((b) => summaryTable(`Baseline ${b.strategy}: ${b.rule}`, b.summary)),
      h('p', {}, `Flip rate: ${fmtNumber(record.flip_rate.changes_per_ticker_month)} changes of call per ticker per month.`),
      !symbol && tickers.length
        ? h('nav', { class: 'tr-tickers', 'aria-label': 'Track record per ticker' }, 'Per ticker: ', ...tickers.map((t) => [h('a', { href: `#/track-record/${encodeURIComponent(t)}` }, t), ' ']))
        : null,
      symbol ? h('p', {}, h('a', { href: `#/report/${encodeURIComponent(record.ticker)}` }, `The latest report of ${record.ticker}`), ' · ', h('a', { href: '#/track-record' }, 'The whole universe')) : null,
    ),
  );
  for (const row of document.querySelectorAll('.tr-table tr[data-row]')) row.classList.add(CALL_CLASS[row.getAttribute('data-row')?.split('-')[0]] ?? 'tr-other');
}
