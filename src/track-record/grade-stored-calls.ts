/**
 * Fills in the grades of stored calls as later bars arrive: run after each ingest (and after a backtest). A call is
 * graded again until all three horizons are known, then never again.
 */
import { addDays } from '../report/business-date.js';
import type { Store } from '../store/store.js';
import type { CallKey } from '../report/track-record/call-store.js';
import { type CallGrades, gradeCall, HORIZON_KEYS, type PriceSeries, UniverseReturns } from '../report/track-record/grade-calls.js';

const same = (a: CallGrades['returns'], b: CallGrades['returns']) => HORIZON_KEYS.every((h) => a[h] === b[h]);

/** Returns how many calls got a new grade. */
export async function gradeStoredCalls(store: Store): Promise<number> {
  const pending = await store.listUngradedCalls();
  if (pending.length === 0) return 0;
  const since = pending.reduce((min, c) => (c.as_of < min ? c.as_of : min), pending[0]!.as_of);
  const universe = (await store.listTickers()).filter((t) => t.active).map((t) => t.symbol);
  const tickers = [...new Set([...universe, ...pending.map((c) => c.ticker)])];
  // A few days before the first call, so a ticker closed on that day still has its last close before it.
  const closes = await store.getClosesSince(tickers, addDays(since, -10));
  const series = new Map<string, PriceSeries>(
    [...closes].map(([ticker, rows]) => [ticker, { dates: rows.map((r) => r.date), closes: Float64Array.from(rows, (r) => r.close) }]),
  );
  const returns = new UniverseReturns(series);
  const updates: { key: CallKey; grades: CallGrades }[] = [];
  for (const call of pending) {
    const grades = gradeCall(call, returns);
    if (same(grades.returns, call.returns) && HORIZON_KEYS.every((h) => grades.excess[h] === call.excess[h])) continue;
    updates.push({ key: { strategy: call.strategy, ticker: call.ticker, business_date: call.business_date, origin: call.origin }, grades });
  }
  await store.updateCallGrades(updates);
  return updates.length;
}
