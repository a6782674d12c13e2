import type { Daybreak } from '../composition-root.js';
import { bangkokDate } from '../report/business-date.js';
import { isStale, type Report } from '../report/report.js';
import type { CliIo } from './cli-io.js';

/** `daybreak report SYMBOL`: the latest stored report, in any symbol form. */
export async function reportCommand(app: Daybreak, symbol: string, flags: { json?: boolean }, io: CliIo): Promise<number> {
  const ticker = app.deps.registry.resolveOrThrow(symbol);
  const stored = await app.deps.store.getLatestReport(ticker.symbol);
  if (!stored) {
    io.err(`no report for ${ticker.symbol} yet: run \`daybreak precompute --tickers ${ticker.symbol}\``);
    return 1;
  }
  const report = JSON.parse(stored.body) as Report & { chart_base64?: string | null };
  report.stale = isStale(report, bangkokDate(app.deps.now()));
  if (flags.json) {
    const chart = await app.deps.store.getChartPng(ticker.symbol, stored.business_date);
    report.chart_base64 = chart ? chart.toString('base64') : null;
    io.out(JSON.stringify(report, null, 2));
  } else {
    io.out(formatReport(report));
  }
  return 0;
}

const num = (v: number | null | undefined, digits = 2) =>
  v === null || v === undefined ? '—' : v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${v >= 0 ? '+' : ''}${num(v)}%`);
const rank = (p: { percentile: number } | null | undefined) => (p ? ` (p${Math.round(p.percentile)})` : '');
const compact = (v: number | null | undefined) =>
  v === null || v === undefined ? '—' : v.toLocaleString('en-US', { notation: 'compact', maximumFractionDigits: 2 });
/** Significant digits for rates: VND and JPY against THB are small numbers. */
const rate = (v: number) => v.toLocaleString('en-US', { maximumSignificantDigits: 6 });

/** The fundamentals, valuation and THB lines (DESIGN §11). */
export function formatFundamentals(r: Report): string[] {
  // Reports stored before fundamentals existed have none of these fields.
  if (r.valuation === undefined) return [];
  const f = r.fundamentals;
  const lines: string[] = [];
  if (!f) {
    lines.push('Fundamentals none stored (see warnings)');
  } else {
    const earnings = f.next_earnings_date
      ? `${f.next_earnings_date}${r.risk.days_to_earnings === null ? '' : ` (${r.risk.days_to_earnings === 0 ? 'today' : `in ${r.risk.days_to_earnings} day${r.risk.days_to_earnings === 1 ? '' : 's'}`})`}`
      : '—';
    lines.push(
      `Fundamentals (${f.source}, ${f.as_of})${f.source === 'demo' ? ' [DEMO — synthetic values]' : ''}`,
      `  market cap ${compact(f.market_cap)} ${f.currency ?? r.currency} · P/E ${num(f.pe_ratio, 1)} · fwd P/E ${num(f.forward_pe, 1)} · P/B ${num(f.price_to_book, 1)} · EPS ${num(f.eps)} · dividend ${f.dividend_yield_pct === null ? '—' : `${num(f.dividend_yield_pct)}%`} · beta ${num(f.beta)}`,
      `  margin ${f.profit_margin_pct === null ? '—' : `${num(f.profit_margin_pct, 1)}%`} · ROE ${f.return_on_equity_pct === null ? '—' : `${num(f.return_on_equity_pct, 1)}%`} · revenue growth ${pct(f.revenue_growth_pct)} · next earnings ${earnings}`,
      `  analysts ${f.analyst_count ?? '—'} · ${f.analyst_recommendation ?? '—'} · mean target ${num(f.analyst_target_mean)} (${pct(f.analyst_upside_pct)})`,
    );
  }
  const v = r.valuation;
  lines.push(`Valuation   ${v.label ?? 'no verdict'}: ${v.basis}`);
  const x = r.fx;
  lines.push(
    x
      ? `THB view    ${x.base_currency}/THB ${rate(x.rate)} on ${x.rate_date} (1d ${pct(x.change_1d_pct)}, 1m ${pct(x.change_1m_pct)}) · 1m return ${pct(x.return_1m_local_pct)} in ${x.base_currency} = ${pct(x.return_1m_thb_pct)} in THB`
      : `THB view    ${r.currency === 'THB' ? 'listed in THB' : 'no FX rates stored (see warnings)'}`,
  );
  return lines;
}

export function formatReport(r: Report): string {
  const i = r.indicators;
  const p = r.percentiles;
  const demo = r.data_source === 'demo' ? '   [DEMO DATA — synthetic prices]' : '';
  const lookback = Object.values(p).find((x) => x)?.lookback_bars;
  return [
    `${r.ticker}  ${r.company_name} (${r.yahoo_symbol} · ${r.exchange} · ${r.currency})${demo}`,
    `as of ${r.as_of} · business date ${r.business_date}${r.stale ? ' · STALE' : ''} · ${r.execution_id} · source ${r.data_source}`,
    '',
    `Price       ${num(r.price)} ${r.currency}  ${r.price_change === null ? '' : `${r.price_change >= 0 ? '+' : ''}${num(r.price_change)}`} (${pct(r.price_change_pct)})`,
    `Trend       SMA20 ${num(i.sma_20)}${rank(p.price_vs_sma_20)}  SMA50 ${num(i.sma_50)}${rank(p.price_vs_sma_50)}  SMA200 ${num(i.sma_200)}${rank(p.price_vs_sma_200)}  EMA12 ${num(i.ema_12)}  EMA26 ${num(i.ema_26)}`,
    `Momentum    RSI14 ${num(i.rsi_14, 1)}${rank(p.rsi_14)}  MACD ${num(i.macd, 3)}  signal ${num(i.macd_signal, 3)}  hist ${num(i.macd_hist, 3)}${rank(p.macd_hist)}`,
    `Volatility  ATR14 ${num(i.atr_14)} = ${num(i.atr_pct)}% of price${rank(p.atr_pct)}  Bollinger ${num(i.bb_lower)} / ${num(i.bb_middle)} / ${num(i.bb_upper)}  30d annualised ${num(i.volatility_30d_annualised, 1)}%`,
    `Volume      ${num(i.volume, 0)}  avg20 ${num(i.volume_sma_20, 0)}  ratio ${num(i.volume_ratio)}x${rank(p.volume_ratio)}  VWAP20 ${num(i.vwap)}`,
    `52 weeks    low ${num(i.low_52w)}  high ${num(i.high_52w)}`,
    `Returns     1d ${pct(i.returns['1d'])}  5d ${pct(i.returns['5d'])}  1m ${pct(i.returns['1m'])}  3m ${pct(i.returns['3m'])}  YTD ${pct(i.returns.ytd)}  1y ${pct(i.returns['1y'])}`,
    `(pNN = percentile against its own last ${lookback ?? '—'} bars)`,
    '',
    ...formatFundamentals(r),
    '',
    `Call        ${r.recommendation} · ${r.stance} · confidence ${r.confidence} · risk ${r.risk.risk_level}`,
    ...(r.risk.risk_bullets.length ? [`Risk        ${r.risk.risk_bullets.join('; ')}`] : []),
    '',
    r.narrative_report,
    '',
    'Scores (0–10)',
    ...r.user_facing_scores.map((s) => `  ${s.category.padEnd(18)} ${s.score === null ? '  —' : s.score.toFixed(1).padStart(4)}  ${s.rationale}`),
    `Quality     overall ${r.quality_scores.overall.toFixed(1)} · faithfulness ${r.quality_scores.faithfulness.score.toFixed(0)} · completeness ${r.quality_scores.completeness.score.toFixed(0)} · reasoning ${r.quality_scores.reasoning_quality.score.toFixed(0)} · compliance ${r.quality_scores.compliance.score.toFixed(0)} (${r.quality_scores.scorer_version})`,
    '',
    r.overall_sentiment
      ? `News        ${r.overall_sentiment.count} in ${r.news_window?.days ?? '—'} days: ${r.overall_sentiment.positive_pct}% positive, ${r.overall_sentiment.neutral_pct}% neutral, ${r.overall_sentiment.negative_pct}% negative`
      : 'News        none in the window',
    ...r.news_items.map((n) => `  [${n.sentiment_label.padEnd(8)} impact ${String(n.impact_score).padStart(3)}] ${n.title} — ${n.source}`),
    `Peers       ${r.peers.map((p) => `${p.ticker} (${p.correlation.toFixed(2)})`).join(', ') || '—'}`,
    `Chart       ${r.chart_url ?? 'unavailable'}    timing ${Object.entries(r.timing_metrics).map(([k, v]) => `${k.replace(/_ms$/, '')} ${v.toFixed(0)}ms`).join(' · ')}`,
    ...r.warnings.map((w) => `warning: ${w}`),
  ].join('\n');
}
