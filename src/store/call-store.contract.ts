import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from './store.js';
import type { StoredCall } from '../report/track-record/call-store.js';

function call(ticker: string, date: string, over: Partial<StoredCall> = {}): StoredCall {
  return {
    ticker,
    business_date: date,
    as_of: date,
    source: 'backtest',
    origin: 'backtest',
    strategy: 'daybreak',
    recommendation: 'BUY',
    stance: 'bullish',
    confidence: 'high',
    score: 0.5,
    close: 100,
    returns: { d1: 0.01, d5: null, d21: null },
    excess: { d1: 0.005, d5: null, d21: null },
    hit: { d1: true, d5: null, d21: null },
    ...over,
  };
}

/** The `CallStore` part of the store port, run against every adapter. */
export function describeCallStoreContract(name: string, open: () => Promise<Store>): void {
  describe(`CallStore contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('round-trips a call and derives its hits from the returns', async () => {
      await store.replaceBacktestCalls({ tickers: ['NVDA19'], from: '2024-01-01', to: '2024-01-31' }, [
        call('NVDA19', '2024-01-02', { recommendation: 'SELL', stance: 'bearish', returns: { d1: 0.02, d5: -0.03, d21: 0.001 }, excess: { d1: 0.01, d5: -0.02, d21: null } }),
      ]);
      const [c] = await store.listCalls({});
      expect(c).toEqual(
        call('NVDA19', '2024-01-02', {
          recommendation: 'SELL',
          stance: 'bearish',
          returns: { d1: 0.02, d5: -0.03, d21: 0.001 },
          excess: { d1: 0.01, d5: -0.02, d21: null },
          hit: { d1: false, d5: true, d21: false },
        }),
      );
      expect(await store.listUngradedCalls()).toEqual([]); // all three returns known: graded for good
    });

    it('replaces the backtest of a range on a rerun, never duplicating, and leaves other ranges, tickers and report calls alone', async () => {
      const range = { tickers: ['NVDA19'], from: '2024-01-01', to: '2024-01-31' };
      await store.saveReportCall(call('NVDA19', '2024-01-03', { origin: 'report', source: 'scheduler' }));
      await store.replaceBacktestCalls({ tickers: ['DBS19'], from: '2024-01-01', to: '2024-01-31' }, [call('DBS19', '2024-01-03')]);
      await store.replaceBacktestCalls({ tickers: ['NVDA19'], from: '2024-02-01', to: '2024-02-28' }, [call('NVDA19', '2024-02-05')]);
      for (let run = 0; run < 2; run++) {
        await store.replaceBacktestCalls(range, [
          call('NVDA19', '2024-01-02'),
          call('NVDA19', '2024-01-03'),
          call('NVDA19', '2024-01-03', { strategy: 'rsi_30_70', recommendation: 'HOLD', stance: null, confidence: null, score: null }),
        ]);
      }
      const all = await store.listCalls({});
      expect(all.map((c) => `${c.ticker} ${c.business_date} ${c.strategy} ${c.origin}`)).toEqual([
        'DBS19 2024-01-03 daybreak backtest',
        'NVDA19 2024-01-02 daybreak backtest',
        'NVDA19 2024-01-03 daybreak backtest',
        'NVDA19 2024-01-03 daybreak report',
        'NVDA19 2024-01-03 rsi_30_70 backtest',
        'NVDA19 2024-02-05 daybreak backtest',
      ]);
      expect((await store.listCalls({ tickers: ['NVDA19'], strategies: ['daybreak'], from: '2024-01-03', to: '2024-01-31' })).length).toBe(2);
    });

    it('replaces a report call on a rewrite of the same report, and fills in grades later', async () => {
      await store.saveReportCall(call('NVDA19', '2024-01-03', { origin: 'report', source: 'manual', returns: { d1: null, d5: null, d21: null }, excess: { d1: null, d5: null, d21: null } }));
      await store.saveReportCall(call('NVDA19', '2024-01-03', { origin: 'report', source: 'api', recommendation: 'HOLD', returns: { d1: null, d5: null, d21: null }, excess: { d1: null, d5: null, d21: null } }));
      const pending = await store.listUngradedCalls();
      expect(pending.map((c) => [c.source, c.recommendation])).toEqual([['api', 'HOLD']]);
      await store.updateCallGrades([
        { key: { strategy: 'daybreak', ticker: 'NVDA19', business_date: '2024-01-03', origin: 'report' }, grades: { returns: { d1: 0.001, d5: 0.05, d21: 0.1 }, excess: { d1: 0, d5: 0.01, d21: 0.02 }, hit: { d1: true, d5: false, d21: false } } },
      ]);
      const [graded] = await store.listCalls({ tickers: ['NVDA19'] });
      expect(graded!.hit).toEqual({ d1: true, d5: false, d21: false });
      expect(graded!.excess.d21).toBe(0.02);
      expect(await store.listUngradedCalls()).toEqual([]);
    });
  });
}
