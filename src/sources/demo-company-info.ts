/**
 * Plausible company info for the demo source, from a per-ticker profile seeded by its Yahoo symbol: the same ticker
 * always gets the same earnings, dividend, margins and analysts, and its P/E and yield follow the demo price the way
 * Yahoo's follow the real one. Labelled `demo` wherever it is shown (the report's source and warning).
 */
import type { Ticker } from '../registry/ticker.js';
import { addDays, toDayNumber } from '../report/business-date.js';
import { emptyCompanyInfo, type CompanyInfo } from './company-info.js';
import { hashSeed, Random } from './demo-market-data.js';
import { DEMO_THB_PER_UNIT } from './fx-pairs.js';

const between = (u: number, [lo, hi]: readonly [number, number]) => lo + u * (hi - lo);
const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;

/** Valuation habits of a kind of business: banks trade on single-digit P/Es with big dividends, software on growth. */
interface SectorHabit {
  pe: readonly [number, number];
  dividendPct: readonly [number, number];
  marginPct: readonly [number, number];
  growthPct: readonly [number, number];
}
const HABITS: { match: RegExp; habit: SectorHabit }[] = [
  { match: /bank|insurance|capital markets/i, habit: { pe: [7, 14], dividendPct: [3, 6.5], marginPct: [20, 40], growthPct: [-3, 10] } },
  { match: /software|semiconductor|interactive media|it services|technology/i, habit: { pe: [22, 60], dividendPct: [0, 1.2], marginPct: [15, 45], growthPct: [5, 35] } },
  { match: /utilit|telecom|beverages|food|staples|tobacco/i, habit: { pe: [11, 24], dividendPct: [2, 6], marginPct: [6, 20], growthPct: [-2, 8] } },
  { match: /pharma|biotech|health/i, habit: { pe: [12, 35], dividendPct: [0, 4], marginPct: [8, 30], growthPct: [-5, 15] } },
];
const DEFAULT_HABIT: SectorHabit = { pe: [9, 28], dividendPct: [0.5, 4], marginPct: [4, 18], growthPct: [-5, 15] };

/** Days between an ticker's quarterly reports, and the first of its cycle (each ticker gets its own offset). */
const QUARTER_DAYS = 91;
const CYCLE_START = '2026-01-12';

/**
 * Demo company info for `ticker` on `endDate`, when its demo price is `price`. EPS, dividend per share and shares are
 * fixed per ticker (set at the registry's reference price and market cap); P/E, yield, market cap and (mostly) the analysts' target
 * follow `price`. About one stock in ten is loss-making (no P/E), as in a real universe; funds have no P/E at all.
 */
export function demoCompanyInfo(ticker: Ticker, price: number, endDate: string): CompanyInfo {
  const stream = new Random(hashSeed(`demo-fundamentals:${ticker.yahooSymbol}`));
  const draw = () => stream.uniform();
  const reference = ticker.referencePrice ?? price;
  const info: CompanyInfo = { ...emptyCompanyInfo(), long_name: ticker.name, currency: ticker.currency };
  if (ticker.type === 'etf') {
    return { ...info, dividend_yield_pct: round(between(draw(), [0.2, 3]), 2) };
  }
  const habit = HABITS.find((h) => h.match.test(ticker.sector ?? ''))?.habit ?? DEFAULT_HABIT;
  const peAtReference = between(draw(), habit.pe);
  const lossMaking = draw() < 0.1;
  const eps = round((lossMaking ? -0.15 : 1) * (reference / peAtReference), 4);
  const growthPct = between(draw(), habit.growthPct);
  const forwardEps = eps * (1 + growthPct / 100);
  const dividendPerShare = lossMaking ? 0 : (reference * between(draw(), habit.dividendPct)) / 100;
  // The registry's reference market cap where it has one; otherwise between ~5 and ~3,000 billion US dollars. The
  // draw is taken either way so the fields after it stay the same for a ticker with or without a reference.
  const drawnCapUsd = Math.exp(between(draw(), [Math.log(5e9), Math.log(3e12)]));
  const capUsd = ticker.referenceMarketCapBillionUsd != null ? ticker.referenceMarketCapBillionUsd * 1e9 : drawnCapUsd;
  const shares = (capUsd * (DEMO_THB_PER_UNIT.USD! / (DEMO_THB_PER_UNIT[ticker.currency] ?? DEMO_THB_PER_UNIT.USD!))) / reference;
  const targetUpside = between(draw(), [-0.1, 0.3]);
  const analysts = Math.round(between(draw(), [3, 45]));
  const days = toDayNumber(endDate) - toDayNumber(CYCLE_START) - Math.floor(draw() * QUARTER_DAYS);
  const next = addDays(endDate, (((-days % QUARTER_DAYS) + QUARTER_DAYS) % QUARTER_DAYS));
  return {
    ...info,
    market_cap: Math.round(shares * price),
    pe_ratio: lossMaking ? null : round(price / eps, 4),
    forward_pe: forwardEps > 0 ? round(price / forwardEps, 4) : null,
    price_to_book: round(between(draw(), [0.8, 12]), 2),
    eps,
    dividend_yield_pct: dividendPerShare > 0 ? round((dividendPerShare / price) * 100, 4) : null,
    beta: round(between(draw(), [0.5, 1.8]), 2),
    profit_margin_pct: lossMaking ? round(-between(draw(), [2, 20]), 2) : round(between(draw(), habit.marginPct), 2),
    return_on_equity_pct: lossMaking ? round(-between(draw(), [2, 25]), 2) : round(between(draw(), [6, 35]), 2),
    revenue_growth_pct: round(growthPct, 2),
    // Targets follow the price, lagging a little behind it.
    analyst_target_mean: round((0.2 * reference + 0.8 * price) * (1 + targetUpside), 2),
    analyst_recommendation: targetUpside > 0.2 ? 'strong_buy' : targetUpside > 0.08 ? 'buy' : targetUpside > -0.03 ? 'hold' : 'underperform',
    analyst_count: analysts,
    next_earnings_date: next,
    sector: ticker.sector,
    industry: ticker.sector,
  };
}
