/**
 * What a Thai holder of a depositary receipt felt: the underlying's currency against the baht, and the underlying's
 * 1-month return converted to baht. Pure: every rate and bar is given.
 */
import type { DailyBar } from './daily-bar.js';
import type { Language } from './narrative-contract.js';
import { REPORT_PHRASES } from './report-phrases.js';

/** Bars back for the 1-month return, as `indicators.return_1m` counts them. */
export const FX_MONTH_BARS = 21;


export interface FxView {
  /** Yahoo's symbol of the pair, e.g. `USDTHB=X`. */
  pair: string;
  base_currency: string;
  quote_currency: 'THB';
  /** THB per unit of `base_currency`. */
  rate: number;
  rate_date: string;
  change_1d_pct: number | null;
  change_1m_pct: number | null;
  /** The underlying's 1-month return in its own currency, percent. */
  return_1m_local_pct: number | null;
  /** The same return in THB: what the DR holder felt. */
  return_1m_thb_pct: number | null;
  /** THB return minus local return, percentage points: the currency's share of the move. */
  fx_effect_pct_points: number | null;
  /** How the view is computed, in the report's language. */
  method: string;
}

/** The Yahoo pair that prices `currency` in baht; null for THB itself. */
export function fxPairFor(currency: string): string | null {
  const code = currency.trim().toUpperCase();
  return code === 'THB' ? null : `${code}THB=X`;
}

/** Index of the last rate dated on or before `date` (rates ascending), or −1. */
function indexOnOrBefore(rates: readonly DailyBar[], date: string): number {
  let lo = 0;
  let hi = rates.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (rates[mid]!.date <= date) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

const pct = (now: number, then: number): number => (now / then - 1) * 100;

/**
 * The FX view of a ticker from its bars and its pair's daily rates (both ascending). Null when there is no rate on
 * or before the last bar (the pair was never ingested). Returns over a month are null when the history is shorter.
 */
export function buildFxView(pair: string, bars: readonly DailyBar[], rates: readonly DailyBar[], language: Language): FxView | null {
  const last = bars.at(-1);
  if (!last) return null;
  const nowIndex = indexOnOrBefore(rates, last.date);
  if (nowIndex < 0) return null;
  const rate = rates[nowIndex]!.close;
  const previous = nowIndex > 0 ? rates[nowIndex - 1]!.close : null;
  let change1m: number | null = null;
  let local: number | null = null;
  let thb: number | null = null;
  const then = bars.length > FX_MONTH_BARS ? bars[bars.length - 1 - FX_MONTH_BARS]! : null;
  if (then) {
    local = pct(last.close, then.close);
    const thenIndex = indexOnOrBefore(rates, then.date);
    if (thenIndex >= 0) {
      const thenRate = rates[thenIndex]!.close;
      change1m = pct(rate, thenRate);
      thb = pct(last.close * rate, then.close * thenRate);
    }
  }
  return {
    pair,
    base_currency: pair.slice(0, 3),
    quote_currency: 'THB',
    rate,
    rate_date: rates[nowIndex]!.date,
    change_1d_pct: previous === null ? null : pct(rate, previous),
    change_1m_pct: change1m,
    return_1m_local_pct: local,
    return_1m_thb_pct: thb,
    fx_effect_pct_points: thb === null || local === null ? null : thb - local,
    method: REPORT_PHRASES[language].fxMethod(FX_MONTH_BARS),
  };
}
