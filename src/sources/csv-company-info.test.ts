import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PermanentError } from '../errors.js';
import type { Ticker } from '../registry/ticker.js';
import { CsvMarketData } from './csv-market-data.js';
import { FUNDAMENTALS_COLUMNS, parseFundamentalsCsv } from './csv-company-info.js';

const ticker = (yahooSymbol: string): Ticker => ({
  symbol: 'X19', yahooSymbol, name: 'X', exchange: 'SGX', currency: 'SGD', sector: null, type: 'stock', active: true,
});

describe('parseFundamentalsCsv', () => {
  it('reads every documented column, in any order; empty cells are null, not 0', () => {
    const header = [...FUNDAMENTALS_COLUMNS].reverse().join(',');
    const values: Record<string, string> = {
      symbol: 'd05.si', market_cap: '1.55e11', pe_ratio: '11.8', forward_pe: '', price_to_book: '1.9', eps: '4.65', dividend_yield_pct: '5.4',
      beta: '0.82', profit_margin_pct: '44.1', return_on_equity_pct: '17.2', revenue_growth_pct: '-1.5', analyst_target_mean: '57.2',
      analyst_count: '15', next_earnings_date: '2027-02-09', analyst_recommendation: 'buy', sector: '"Financial Services"',
      industry: '"Banks, Regional"', long_name: 'DBS Group Holdings Ltd', currency: 'SGD',
    };
    const row = [...FUNDAMENTALS_COLUMNS].reverse().map((c) => values[c]).join(',');
    const info = parseFundamentalsCsv(`${header}\n${row}\n`, 'f.csv').get('D05.SI')!;
    expect(info).toEqual({
      market_cap: 155_000_000_000, pe_ratio: 11.8, forward_pe: null, price_to_book: 1.9, eps: 4.65, dividend_yield_pct: 5.4, beta: 0.82,
      profit_margin_pct: 44.1, return_on_equity_pct: 17.2, revenue_growth_pct: -1.5, analyst_target_mean: 57.2, analyst_recommendation: 'buy',
      analyst_count: 15, next_earnings_date: '2027-02-09', sector: 'Financial Services', industry: 'Banks, Regional',
      long_name: 'DBS Group Holdings Ltd', currency: 'SGD',
    });
  });

  it('accepts a subset of columns (an ETF row with only a yield)', () => {
    const rows = parseFundamentalsCsv('symbol,pe_ratio,dividend_yield_pct\nQQQM,,0.61\n', 'f.csv');
    expect(rows.get('QQQM')).toMatchObject({ pe_ratio: null, dividend_yield_pct: 0.61, sector: null });
  });

  it('names file, line and problem for bad input', () => {
    const bad = (text: string) => () => parseFundamentalsCsv(text, 'f.csv');
    expect(bad('symbol,pe\nA,1\n')).toThrow(/f\.csv:1: unknown column pe/);
    expect(bad('pe_ratio\n1\n')).toThrow(/no symbol column/);
    expect(bad('symbol,pe_ratio\nA,12x\n')).toThrow(/f\.csv:2: pe_ratio is not a number: "12x"/);
    expect(bad('symbol,market_cap\nA,-5\n')).toThrow(/market_cap must not be negative/);
    expect(bad('symbol,next_earnings_date\nA,2027-02-30\n')).toThrow(/next_earnings_date is not a YYYY-MM-DD date/);
    expect(bad('symbol,currency\nA,usd\n')).toThrow(/currency must be an ISO code/);
    expect(bad('symbol\nA\na\n')).toThrow(/f\.csv:3: duplicate symbol A \(also on line 2\)/);
    expect(bad('')).toThrow(PermanentError);
  });
});

describe('CsvMarketData.fetchCompanyInfo', () => {
  it('reads fundamentals.csv from the CSV folder; a symbol without a row, or no file, is a PermanentError naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'daybreak-fund-'));
    const none = new CsvMarketData(dir);
    await expect(none.fetchCompanyInfo(ticker('D05.SI'))).rejects.toThrow(/fundamentals\.csv does not exist \(it is optional\)/);
    writeFileSync(join(dir, 'fundamentals.csv'), 'symbol,pe_ratio,currency\nD05.SI,11.8,SGD\n');
    const source = new CsvMarketData(dir);
    expect((await source.fetchCompanyInfo(ticker('D05.SI'))).pe_ratio).toBe(11.8);
    const missing = source.fetchCompanyInfo(ticker('U11.SI'));
    await expect(missing).rejects.toBeInstanceOf(PermanentError);
    await expect(missing).rejects.toThrow(/no company info for U11\.SI: .*fundamentals\.csv has no row for it/);
  });
});
