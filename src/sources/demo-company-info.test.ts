import { describe, expect, it } from 'vitest';
import { loadDefaultTickers } from '../registry/ticker-registry.js';
import { DemoMarketData } from './demo-market-data.js';

const tickers = loadDefaultTickers();
const demo = new DemoMarketData();
const END = '2026-11-27';
const byDr = (s: string) => tickers.find((t) => t.symbol === s)!;

describe('DemoMarketData.fetchCompanyInfo (the demo profile)', () => {
  it('is deterministic and priced on the demo close: P/E × EPS is the last demo close', async () => {
    const nvda = byDr('NVDA19');
    const a = await demo.fetchCompanyInfo(nvda, { endDate: END });
    expect(await new DemoMarketData().fetchCompanyInfo(nvda, { endDate: END })).toEqual(a);
    const close = (await demo.fetchDailyBars(nvda, { endDate: END, minBars: 400 })).at(-1)!.close;
    expect(a.pe_ratio! * a.eps!).toBeCloseTo(close, 1);
    expect(a.currency).toBe('USD');
    expect(a.long_name).toBe(nvda.name);
  });

  it('gives every stock plausible values and every fund nulls where funds have none', async () => {
    for (const t of tickers) {
      const info = await demo.fetchCompanyInfo(t, { endDate: END });
      if (t.type === 'etf') {
        expect(info.pe_ratio, t.symbol).toBeNull();
        expect(info.analyst_target_mean, t.symbol).toBeNull();
        expect(info.next_earnings_date, t.symbol).toBeNull();
        expect(info.dividend_yield_pct!, t.symbol).toBeGreaterThan(0);
        continue;
      }
      if (info.pe_ratio !== null) {
        expect(info.pe_ratio, t.symbol).toBeGreaterThan(2);
        expect(info.pe_ratio, t.symbol).toBeLessThan(200);
      } else {
        expect(info.eps!, `${t.symbol} loss-making`).toBeLessThan(0);
      }
      expect(info.market_cap!, t.symbol).toBeGreaterThan(0);
      expect(info.analyst_count!, t.symbol).toBeGreaterThanOrEqual(3);
      expect(info.next_earnings_date! >= END && info.next_earnings_date! <= '2027-02-26', t.symbol).toBe(true);
    }
  });

  it('sizes each company near its real market cap: NVIDIA in the trillions of dollars, Venture in the billions', async () => {
    const capUsd = async (symbol: string) => {
      const t = byDr(symbol);
      const info = await demo.fetchCompanyInfo(t, { endDate: END });
      const close = (await demo.fetchDailyBars(t, { endDate: END, minBars: 400 })).at(-1)!.close;
      // The cap follows the demo price from the reference level: undo that to compare with the reference.
      return (info.market_cap! * (t.referencePrice! / close)) / 1e9;
    };
    expect(await capUsd('NVDA19')).toBeCloseTo(4400, -1);
    expect(await capUsd('MSFT19')).toBeCloseTo(3570, -1);
    expect(await capUsd('JPMUS19')).toBeCloseTo(850, -1);
    const nvda = await demo.fetchCompanyInfo(byDr('NVDA19'), { endDate: END });
    expect(nvda.market_cap!).toBeGreaterThan(1e12);
    const venture = await demo.fetchCompanyInfo(byDr('VENTURE19'), { endDate: END });
    expect(venture.market_cap! / 1e9, 'SGD billions').toBeGreaterThan(1);
    expect(venture.market_cap! / 1e9, 'SGD billions').toBeLessThan(20);
  });

  it('prices banks cheaper than software, on average, as markets do', async () => {
    const mean = async (pattern: RegExp) => {
      const pes: number[] = [];
      for (const t of tickers.filter((x) => pattern.test(x.sector ?? ''))) {
        const pe = (await demo.fetchCompanyInfo(t, { endDate: END })).pe_ratio;
        if (pe !== null) pes.push(pe);
      }
      return pes.reduce((a, b) => a + b, 0) / pes.length;
    };
    expect(await mean(/Banks/)).toBeLessThan(await mean(/Software|Semiconductors/));
  });

  it('reports some earnings dates within a week of a date, so the earnings risk shows in demo reports', async () => {
    const soon = [];
    for (const t of tickers.filter((x) => x.type === 'stock')) {
      const d = (await demo.fetchCompanyInfo(t, { endDate: END })).next_earnings_date!;
      if (d <= '2026-12-04') soon.push(t.symbol);
    }
    expect(soon.length).toBeGreaterThan(0);
    expect(soon.length).toBeLessThan(tickers.length / 2);
  });
});
