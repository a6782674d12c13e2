import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyCompanyInfo, type CompanyInfo } from '../sources/company-info.js';
import type { Store } from './store.js';

const nvda: CompanyInfo = {
  ...emptyCompanyInfo(),
  market_cap: 4_410_000_000_000,
  pe_ratio: 52.123456789,
  forward_pe: 31.2,
  eps: 3.51,
  dividend_yield_pct: 0.02,
  analyst_recommendation: 'strong_buy',
  analyst_count: 57,
  next_earnings_date: '2026-11-19',
  sector: 'Technology',
  long_name: 'NVIDIA Corporation',
  currency: 'USD',
};
const etf: CompanyInfo = { ...emptyCompanyInfo(), dividend_yield_pct: 0.61, long_name: 'Invesco NASDAQ 100 ETF', currency: 'USD' };

/** The company-info half of the store port; both adapter test files run it. */
export function describeCompanyInfoStoreContract(name: string, open: () => Promise<Store>): void {
  describe(`CompanyInfoStore contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('keeps numbers as numbers and absent fields as null, one row per ticker and business date', async () => {
      await store.upsertCompanyInfo('NVDA19', '2026-11-27', nvda, 'yahoo');
      await store.upsertCompanyInfo('QQQM19', '2026-11-27', etf, 'yahoo');
      const read = await store.getLatestCompanyInfo(['NVDA19', 'QQQM19'], '2026-11-27');
      expect(read.get('NVDA19')).toEqual({ ticker: 'NVDA19', business_date: '2026-11-27', source: 'yahoo', info: nvda });
      expect(read.get('QQQM19')!.info.pe_ratio).toBeNull();
      expect(read.get('QQQM19')!.info).toEqual(etf);
    });

    it('answers the newest on or before the date for each ticker, in one call; tickers with none are absent', async () => {
      await store.upsertCompanyInfo('NVDA19', '2026-11-25', { ...nvda, pe_ratio: 50 }, 'demo');
      await store.upsertCompanyInfo('NVDA19', '2026-11-27', { ...nvda, pe_ratio: 51 }, 'yahoo');
      await store.upsertCompanyInfo('NVDA19', '2026-11-30', { ...nvda, pe_ratio: 53 }, 'yahoo');
      await store.upsertCompanyInfo('QQQM19', '2026-11-20', etf, 'csv');
      const read = await store.getLatestCompanyInfo(['NVDA19', 'QQQM19', 'MSFT19'], '2026-11-28');
      expect([...read.keys()].sort()).toEqual(['NVDA19', 'QQQM19']);
      expect(read.get('NVDA19')).toMatchObject({ business_date: '2026-11-27', source: 'yahoo', info: { pe_ratio: 51 } });
      expect(read.get('QQQM19')).toMatchObject({ business_date: '2026-11-20', source: 'csv' });
      expect((await store.getLatestCompanyInfo(['NVDA19'], '2026-11-24')).size).toBe(0);
      expect((await store.getLatestCompanyInfo([], '2026-11-28')).size).toBe(0);
    });

    it('replaces the row of the same ticker and date (a second ingest on one day)', async () => {
      await store.upsertCompanyInfo('NVDA19', '2026-11-27', nvda, 'demo');
      await store.upsertCompanyInfo('NVDA19', '2026-11-27', { ...nvda, analyst_count: 58 }, 'yahoo');
      const row = (await store.getLatestCompanyInfo(['NVDA19'], '2026-12-31')).get('NVDA19')!;
      expect(row.source).toBe('yahoo');
      expect(row.info.analyst_count).toBe(58);
    });

    it('stores FX pairs as daily bars under their Yahoo symbol, apart from the tickers', async () => {
      const rate = (date: string, close: number) => ({ date, open: close, high: close, low: close, close, volume: 0 });
      await store.upsertDailyBars('USDTHB=X', [rate('2026-11-26', 32.41), rate('2026-11-27', 32.38)], 'yahoo');
      expect((await store.getDailyBars('USDTHB=X', 5))?.bars.map((b) => b.close)).toEqual([32.41, 32.38]);
      expect(await store.getDailyBars('USDTHB', 5)).toBeUndefined();
    });
  });
}
