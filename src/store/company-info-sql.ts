import type { CompanyInfo } from '../sources/company-info.js';
import type { StoredCompanyInfo } from './company-info-store.js';
import type { Db } from './schema.js';

const TICKER_CHUNK = 500;

/** `CompanyInfoStore` in Kysely, for every SQL adapter (SqlStore delegates here). */
export async function upsertCompanyInfo(db: Db, ticker: string, businessDate: string, info: CompanyInfo, source: string): Promise<void> {
  await db
    .insertInto('company_info')
    .values({ ticker, business_date: businessDate, source, body: JSON.stringify(info), ingested_at: new Date().toISOString() })
    .onConflict((oc) =>
      oc.columns(['ticker', 'business_date']).doUpdateSet((eb) => ({
        source: eb.ref('excluded.source'),
        body: eb.ref('excluded.body'),
        ingested_at: eb.ref('excluded.ingested_at'),
      })),
    )
    .execute();
}

export async function getLatestCompanyInfo(db: Db, tickers: string[], onOrBefore: string): Promise<Map<string, StoredCompanyInfo>> {
  const result = new Map<string, StoredCompanyInfo>();
  for (let i = 0; i < tickers.length; i += TICKER_CHUNK) {
    const chunk = tickers.slice(i, i + TICKER_CHUNK);
    // The primary key (ticker, business_date) answers both the per-ticker max and the row lookup.
    const rows = await db
      .selectFrom('company_info as c')
      .innerJoin(
        (eb) =>
          eb
            .selectFrom('company_info')
            .select(['ticker', (e) => e.fn.max('business_date').as('latest')])
            .where('ticker', 'in', chunk)
            .where('business_date', '<=', onOrBefore)
            .groupBy('ticker')
            .as('m'),
        (join) => join.onRef('m.ticker', '=', 'c.ticker').onRef('m.latest', '=', 'c.business_date'),
      )
      .select(['c.ticker', 'c.business_date', 'c.source', 'c.body'])
      .execute();
    for (const r of rows) {
      result.set(r.ticker, { ticker: r.ticker, business_date: r.business_date, source: r.source, info: JSON.parse(r.body) as CompanyInfo });
    }
  }
  return result;
}
