/**
 * The report view's fundamentals card and THB line (DESIGN §11): company facts, the valuation verdict with its basis,
 * the next earnings date, and what the month's return was in baht for a holder of the DR.
 */
import { badge, DASH, fmtDate, fmtNumber, fmtPct, h, isNum, textLang } from './dom.js';
import { S } from './strings.js';

const VERDICT_KIND = { cheap: 'stance-bullish', fair: 'stance-neutral', expensive: 'stance-bearish' };

/** 4.41T, 96.7B, 812M (4.41 ล้านล้าน in Thai): market caps in the listing currency. */
function fmtCompact(v) {
  return isNum(v) ? fmtNumber(v, 0, { notation: 'compact', minimumFractionDigits: 0, maximumFractionDigits: 2 }) : DASH;
}

/** Rates against the baht run from ~0.001 (VND) to ~40 (USD): six significant digits. */
function fmtRate(v) {
  return isNum(v) ? fmtNumber(v, 0, { minimumFractionDigits: undefined, maximumFractionDigits: undefined, maximumSignificantDigits: 6 }) : DASH;
}

function row(key, value) {
  return h('div', { class: 'fund__row', 'data-field': key }, h('dt', {}, S.fundamentals.rows[key]), h('dd', {}, value));
}

/** "1m in THB +3.60% (USD −2.35% vs THB) · in USD +6.10%", or null without an FX view. */
export function thbLine(r) {
  const x = r.fx;
  if (!x) return null;
  return h(
    'p',
    { class: 'thb-line', id: 'thb-line', title: x.method },
    h('span', { class: 'thb-line__label' }, S.fundamentals.thbLabel),
    h('strong', { class: isNum(x.return_1m_thb_pct) && x.return_1m_thb_pct < 0 ? 'chg chg--down' : 'chg chg--up' }, fmtPct(x.return_1m_thb_pct)),
    S.fundamentals.thbRest(fmtPct(x.return_1m_local_pct), x.base_currency, fmtRate(x.rate), fmtPct(x.change_1m_pct)),
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
    ? h('span', {}, fmtDate(f.next_earnings_date), ' ', badge(S.fundamentals.earningsIn(r.risk.days_to_earnings), 'stance-bearish', S.fundamentals.earningsSoon))
    : f?.next_earnings_date
      ? fmtDate(f.next_earnings_date)
      : DASH;
  return h(
    'section',
    { class: 'card fundamentals', id: 'fundamentals', 'aria-labelledby': 'fundamentals-title' },
    h(
      'h2',
      { id: 'fundamentals-title' },
      `${S.fundamentals.title} `,
      f ? h('span', { class: 'muted small' }, `${f.source}${f.source === 'demo' ? S.fundamentals.synthetic : ''}, ${fmtDate(f.as_of)}`) : null,
    ),
    h(
      'p',
      { class: 'fund__verdict', id: 'valuation-verdict' },
      v.label ? badge(S.fundamentals.verdict[v.label] ?? v.label, VERDICT_KIND[v.label] ?? 'muted', S.fundamentals.verdictTitle) : badge(S.fundamentals.noVerdict, 'muted'),
      ' ',
      h('span', { class: 'fund__basis', lang: textLang(v.basis) }, v.basis),
    ),
    f
      ? h(
          'dl',
          { class: 'fund__grid' },
          row('market_cap', `${fmtCompact(f.market_cap)} ${cur}`),
          row('pe_ratio', fmtNumber(f.pe_ratio, 1)),
          row('forward_pe', fmtNumber(f.forward_pe, 1)),
          row('price_to_book', fmtNumber(f.price_to_book, 1)),
          row('eps', fmtNumber(f.eps, 2)),
          row('dividend_yield_pct', pctOrDash(f.dividend_yield_pct)),
          row('beta', fmtNumber(f.beta, 2)),
          row('profit_margin_pct', pctOrDash(f.profit_margin_pct)),
          row('return_on_equity_pct', pctOrDash(f.return_on_equity_pct)),
          row('revenue_growth_pct', fmtPct(f.revenue_growth_pct)),
          row('analyst_count', f.analyst_count === null ? DASH : `${f.analyst_count} · ${f.analyst_recommendation ?? DASH}`),
          row('analyst_target_mean', isNum(f.analyst_target_mean) ? `${fmtNumber(f.analyst_target_mean, 2)} (${fmtPct(f.analyst_upside_pct)})` : DASH),
          row('next_earnings_date', earnings),
        )
      : h('p', { class: 'muted' }, S.fundamentals.noInfo),
    thbLine(r),
  );
}
