import type { Digest, DigestItem } from './delivery-channel.js';

/** A digest as the deliver step hands it to a channel: `items` watchlist tickers, an optional long brief. */
export function sampleDigest(options: { items?: number; language?: 'th' | 'en'; narrativeChars?: number; demo?: boolean; unavailable?: string[] } = {}): Digest {
  const language = options.language ?? 'th';
  const base = 'https://daybreak.example.com';
  const items: DigestItem[] = Array.from({ length: options.items ?? 2 }, (_, i) => ({
    ticker: `TICK${i}19`,
    company_name: `Company ${i} Inc.`,
    currency: 'USD',
    price: 100 + i * 1.5,
    price_change_pct: i % 2 === 0 ? 1.234 : -0.5,
    recommendation: i % 3 === 0 ? 'BUY' : i % 3 === 1 ? 'HOLD' : 'SELL',
    stance: 'bullish',
    confidence: 'medium',
    why: `Reason number ${i} for the call.`,
    report_url: `${base}/#/report/TICK${i}19`,
    chart_url: `${base}/api/v1/report/TICK${i}19/chart.png?v=exec-1`,
    chart_png: null,
    as_of: '2026-11-26',
    data_source: options.demo === false ? 'yahoo' : 'demo',
    // The first item has the whole block; the second only a market cap and the THB view (an ETF: no P/E, no dividend).
    fundamentals:
      i % 2 === 0
        ? { pe_ratio: 34.24, valuation_label: 'cheap', pe_vs_peers_median_pct: -12.34, dividend_yield_pct: 0.03, market_cap: 4.41e12, market_cap_currency: 'USD', return_1m_thb_pct: 3.64, return_1m_local_pct: 6.12, fx_base_currency: 'USD' }
        : { pe_ratio: null, valuation_label: null, pe_vs_peers_median_pct: null, dividend_yield_pct: null, market_cap: 8.12e8, market_cap_currency: 'USD', return_1m_thb_pct: -2.05, return_1m_local_pct: 0.4, fx_base_currency: 'USD' },
  }));
  let narrative = language === 'th' ? '## ภาพรวม\nตลาดต่างประเทศเมื่อคืน **ปรับขึ้น** เป็นส่วนใหญ่' : '## Overview\nOvernight markets **rose** mostly.';
  while (narrative.length < (options.narrativeChars ?? 0)) narrative += `\n\nParagraph ${narrative.length}: ${'words '.repeat(60)}`;
  return {
    business_date: '2026-11-27',
    execution_id: 'exec-1',
    language,
    demo: options.demo !== false,
    items,
    unavailable: options.unavailable ?? [],
    brief: {
      business_date: '2026-11-27',
      execution_id: 'exec-1',
      total: items.length,
      advancers: 1,
      decliners: 1,
      unchanged: 0,
      calls: { BUY: 1, HOLD: 1, SELL: 0 },
      best: [],
      worst: [],
      by_market: [],
      narrative,
      language,
      data_source: 'demo',
    },
  };
}
