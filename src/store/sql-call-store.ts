import type { Insertable, Selectable } from 'kysely';
import type { CallFilter, CallKey, StoredCall } from '../report/track-record/call-store.js';
import { type CallGrades, HORIZON_KEYS, hitOf } from '../report/track-record/grade-calls.js';
import type { Strategy } from '../report/track-record/summarize-track-record.js';
import type { CallsTable, Db } from './schema.js';

// 18 columns a row: 500 rows stay under SQLite's 32,766 bound parameters per statement.
const CHUNK_ROWS = 500;

function toRow(c: StoredCall): Insertable<CallsTable> {
  return {
    strategy: c.strategy,
    ticker: c.ticker,
    business_date: c.business_date,
    origin: c.origin,
    source: c.source,
    as_of: c.as_of,
    recommendation: c.recommendation,
    stance: c.stance,
    confidence: c.confidence,
    score: c.score,
    close: c.close,
    ...gradeColumns(c),
  };
}

function gradeColumns(g: Pick<CallGrades, 'returns' | 'excess'>) {
  return {
    return_d1: g.returns.d1,
    return_d5: g.returns.d5,
    return_d21: g.returns.d21,
    excess_d1: g.excess.d1,
    excess_d5: g.excess.d5,
    excess_d21: g.excess.d21,
    graded: HORIZON_KEYS.every((h) => g.returns[h] !== null) ? 1 : 0,
  };
}

/** The columns of a call row, in the order `callRow` gives their values (for raw prepared statements). */
export const CALL_COLUMNS = [
  'strategy', 'ticker', 'business_date', 'origin', 'source', 'as_of', 'recommendation', 'stance', 'confidence', 'score', 'close',
  'return_d1', 'return_d5', 'return_d21', 'excess_d1', 'excess_d5', 'excess_d21', 'graded',
] as const;

export function callRow(c: StoredCall): unknown[] {
  const row = toRow(c) as Record<string, unknown>;
  return CALL_COLUMNS.map((k) => row[k] ?? null);
}

const num = (x: number | null) => (x === null ? null : Number(x));

function fromRow(r: Selectable<CallsTable>): StoredCall {
  const recommendation = r.recommendation as StoredCall['recommendation'];
  const returns = { d1: num(r.return_d1), d5: num(r.return_d5), d21: num(r.return_d21) };
  return {
    ticker: r.ticker,
    business_date: r.business_date,
    as_of: r.as_of,
    source: r.source,
    origin: r.origin as StoredCall['origin'],
    strategy: r.strategy as Strategy,
    recommendation,
    stance: r.stance as StoredCall['stance'],
    confidence: r.confidence as StoredCall['confidence'],
    score: num(r.score),
    close: Number(r.close),
    returns,
    excess: { d1: num(r.excess_d1), d5: num(r.excess_d5), d21: num(r.excess_d21) },
    hit: {
      d1: returns.d1 === null ? null : hitOf(recommendation, returns.d1, 'd1'),
      d5: returns.d5 === null ? null : hitOf(recommendation, returns.d5, 'd5'),
      d21: returns.d21 === null ? null : hitOf(recommendation, returns.d21, 'd21'),
    },
  };
}

/** The `CallStore` part of `SqlStore`, in Kysely for SQLite and PostgreSQL alike. */
export class SqlCallStore {
  constructor(private readonly db: Db) {}

  async replaceBacktestCalls(range: { tickers: string[]; from: string; to: string }, calls: StoredCall[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      if (range.tickers.length > 0) {
        await trx
          .deleteFrom('calls')
          .where('origin', '=', 'backtest')
          .where('ticker', 'in', range.tickers)
          .where('business_date', '>=', range.from)
          .where('business_date', '<=', range.to)
          .execute();
      }
      for (let i = 0; i < calls.length; i += CHUNK_ROWS) {
        await trx.insertInto('calls').values(calls.slice(i, i + CHUNK_ROWS).map(toRow)).execute();
      }
    });
  }

  async saveReportCall(call: StoredCall): Promise<void> {
    const row = toRow({ ...call, origin: 'report' });
    const { strategy: _s, ticker: _t, business_date: _b, origin: _o, ...rest } = row;
    await this.db
      .insertInto('calls')
      .values(row)
      .onConflict((oc) => oc.columns(['ticker', 'business_date', 'strategy', 'origin']).doUpdateSet(rest))
      .execute();
  }

  async listCalls(filter: CallFilter): Promise<StoredCall[]> {
    let q = this.db.selectFrom('calls').selectAll();
    if (filter.tickers) q = q.where('ticker', 'in', filter.tickers.length > 0 ? filter.tickers : ['']);
    if (filter.strategies) q = q.where('strategy', 'in', filter.strategies.length > 0 ? filter.strategies : ['']);
    if (filter.from) q = q.where('business_date', '>=', filter.from);
    if (filter.to) q = q.where('business_date', '<=', filter.to);
    const rows = await q.orderBy('ticker').orderBy('business_date').orderBy('strategy').orderBy('origin').execute();
    return rows.map(fromRow);
  }

  async listUngradedCalls(): Promise<StoredCall[]> {
    const rows = await this.db.selectFrom('calls').selectAll().where('graded', '=', 0).orderBy('ticker').orderBy('business_date').execute();
    return rows.map(fromRow);
  }

  async updateCallGrades(updates: { key: CallKey; grades: CallGrades }[]): Promise<void> {
    if (updates.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      for (const { key, grades } of updates) {
        await trx
          .updateTable('calls')
          .set(gradeColumns(grades))
          .where('strategy', '=', key.strategy)
          .where('ticker', '=', key.ticker)
          .where('business_date', '=', key.business_date)
          .where('origin', '=', key.origin)
          .execute();
      }
    });
  }
}
