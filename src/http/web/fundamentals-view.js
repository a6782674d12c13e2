/**
 * The report view's fundamentals card and THB line (DESIGN §11): company facts, the valuation verdict with its basis,
 * the next earnings date, and what the month's return was in baht for a holder of the DR.
 */
import { badge, DASH, fmtDate, fmtNumber, fmtPct, h, isNum } from './dom.js';

const VERDICT_KIND = { cheap: 'stance-bullish', fair: 'stance-neutral', expensive: 'stance-bearish' };

/** 4.41T, 96.7B, 812M: market caps in the listing currency. */
function fmtCompact(v) {
  return isNum(v) ? v.toLocaleString('en-US', { notation: 'compact', maximumFractionDigits: 2 }) : DASH;
}

/** Rates against the baht run from ~0.001 (VND) to ~40 (USD): six significant digits. */
function fmtRate(v) {
  return isNum(v) ? v.toLocaleString('en-US', { maximumSignificantDigits: 6 }) : DASH;
}

function row(label, value, key) {
  return h('div', { class: 'fund__row', 'data-field': key }, h('dt', {}, label), h('dd', {}, value));
}

/** "1m in THB +3.60% (USD −2.35% vs THB) · in USD +6.10%", or null without an FX view. */
export function thbLine(r) {
  const x = r.fx;
  if (!x) return null;
  return h(
    'p',
    { class: 'thb-line', id: 'thb-line', title: x.method },
    h('span', { class: 'thb-line__label' }, 'For a THB holder, 1 month: '),
    h('strong', { class: isNum(x.return_1m_thb_pct) && x.return_1m_thb_pct < 0 ? 'chg chg--down' : 'chg chg--up' }, fmtPct(x.return_1m_thb_pct)),
    ` in THB vs ${fmtPct(x.return_1m_local_pct)} in ${x.base_currency} · ${x.base_currency}/THB ${fmtRate(x.rate)} (1m ${fmtPct(x.change_1m_pct)})`,
  );
}

/** The fundamentals card; reports made before fundamentals existed (no `valuation`) get none. */
export function fundamentalsSection(r) {
  if (r.valuation === undefined) return null;
  const f = r.fundamentals;
  const v = r.valuation;
  const cur = f?.currency ?? r.currency;
  const pctOrDash = (x) => (isNum(x) ? `${fmtNumber(x, 2)}%` : DASH);
  const earnings = r.risk?.earnings_within_7_days
    ? h('span', {}, fmtDate(f.next_earnings_date), ' ', badge(`in ${r.risk.days_to_earnings} d`, 'stance-bearish', 'Earnings within 7 days'))
    : f?.next_earnings_date
      ? fmtDate(f.next_earnings_date)
      : DASH;
  return h(
    'section',
    { class: 'card fundamentals', id: 'fundamentals', 'aria-labelledby': 'fundamentals-title' },
    h(
      'h2',
      { id: 'fundamentals-title' },
      'Fundamentals ',
      f ? h('span', { class: 'muted small' }, `${f.source}${f.source === 'demo' ? ' (synthetic)' : ''}, ${fmtDate(f.as_of)}`) : null,
    ),
    h(
      'p',
      { class: 'fund__verdict', id: 'valuation-verdict' },
      v.label ? badge(v.label, VERDICT_KIND[v.label] ?? 'muted', 'Valuation vs peers') : badge('no verdict', 'muted'),
      ' ',
      h('span', { class: 'fund__basis' }, v.basis),
    ),
    f
      ? h(
          'dl',
          { class: 'fund__grid' },
          row('Market cap', `${fmtCompact(f.market_cap)} ${cur}`, 'market_cap'),
          row('P/E', fmtNumber(f.pe_ratio, 1), 'pe_ratio'),
          row('Forward P/E', fmtNumber(f.forward_pe, 1), 'forward_pe'),
          row('P/B', fmtNumber(f.price_to_book, 1), 'price_to_book'),
          row('EPS', fmtNumber(f.eps, 2), 'eps'),
          row('Dividend yield', pctOrDash(f.dividend_yield_pct), 'dividend_yield_pct'),
          row('Beta', fmtNumber(f.beta, 2), 'beta'),
          row('Profit margin', pctOrDash(f.profit_margin_pct), 'profit_margin_pct'),
          row('ROE', pctOrDash(f.return_on_equity_pct), 'return_on_equity_pct'),
          row('Revenue growth', fmtPct(f.revenue_growth_pct), 'revenue_growth_pct'),
          row('Analysts', f.analyst_count === null ? DASH : `${f.analyst_count} · ${f.analyst_recommendation ?? DASH}`, 'analyst_count'),
          row('Mean target', isNum(f.analyst_target_mean) ? `${fmtNumber(f.analyst_target_mean, 2)} (${fmtPct(f.analyst_upside_pct)})` : DASH, 'analyst_target_mean'),
          row('Next earnings', earnings, 'next_earnings_date'),
        )
      : h('p', { class: 'muted' }, 'No company info stored for this ticker.'),
    thbLine(r),
  );
}
