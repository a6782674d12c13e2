import type { CallGrades } from './grade-calls.js';
import type { GradedCall, Strategy } from './summarize-track-record.js';

/** Where a stored call came from: a saved report, or a replay (`daybreak backtest`). */
export type CallOrigin = 'report' | 'backtest';

export interface StoredCall extends GradedCall {
  origin: CallOrigin;
  /** The decision's normalised score in [−1, 1]; null for the baselines. */
  score: number | null;
}

export interface CallKey {
  strategy: Strategy;
  ticker: string;
  business_date: string;
  origin: CallOrigin;
}

export interface CallFilter {
  tickers?: string[];
  strategies?: Strategy[];
  from?: string;
  to?: string;
}

/** Persistence of calls and their grades (part of the `Store` port). One row per (strategy, ticker, date, origin). */
export interface CallStore {
  /**
   * Replaces, in one transaction, every backtest call (all strategies) of `tickers` with a business date in
   * [from, to] by `calls`: a rerun of a range never duplicates.
   */
  replaceBacktestCalls(range: { tickers: string[]; from: string; to: string }, calls: StoredCall[]): Promise<void>;
  /** Inserts or replaces the call of a report (origin `report`), as the report of that (ticker, date) is. */
  saveReportCall(call: StoredCall): Promise<void>;
  /** Calls in (ticker, business_date, strategy) order. */
  listCalls(filter: CallFilter): Promise<StoredCall[]>;
  /** Calls with at least one horizon still ungraded (its bar had not arrived when last graded). */
  listUngradedCalls(): Promise<StoredCall[]>;
  updateCallGrades(updates: { key: CallKey; grades: CallGrades }[]): Promise<void>;
}
