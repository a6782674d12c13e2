import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import type { Ticker } from './ticker.js';
import {
  levenshtein,
  loadDefaultTickerFile,
  loadDefaultTickers,
  loadTickersFile,
  parseTickerFile,
  TickerRegistry,
} from './ticker-registry.js';
import { UnknownTickerError } from './unknown-ticker-error.js';

const tickers = loadDefaultTickers();
const registry = new TickerRegistry(tickers);
const bySymbol = (symbol: string) => tickers.find((t) => t.symbol === symbol)!;

function ticker(symbol: string, yahooSymbol: string, name = `${symbol} Corp`): Ticker {
  return { symbol, yahooSymbol, name, exchange: 'NASDAQ', currency: 'USD', sector: null, type: 'stock', active: true };
}

describe('the shipped registry (tickers.json)', () => {
  it('has version 1 and 56 active tickers', () => {
    const file = loadDefaultTickerFile();
    expect(file.version).toBe(1);
    expect(file.updated).toBe('2026-11-28');
    expect(tickers).toHaveLength(56);
    expect(tickers.every((t) => t.active)).toBe(true);
  });

  it('carries the three fixes over the reference list', () => {
    expect(bySymbol('MSN19')).toMatchObject({ yahooSymbol: 'MSN.VN', name: 'Masan Group Corporation', exchange: 'HOSE', currency: 'VND' });
    expect(bySymbol('STEG19')).toMatchObject({ yahooSymbol: 'S63.SI', exchange: 'SGX', currency: 'SGD' });
    expect(bySymbol('STEG19').name).toMatch(/ST Engineering|Singapore Technologies Engineering/);
    expect(bySymbol('MITSU19')).toMatchObject({ yahooSymbol: '7011.T', exchange: 'TSE', currency: 'JPY' });
    expect(bySymbol('MITSU19').name).toMatch(/^Mitsubishi Heavy Industries/);
  });

  it('no two tickers share a DR or a Yahoo symbol', () => {
    expect(new Set(tickers.map((t) => t.symbol)).size).toBe(56);
    expect(new Set(tickers.map((t) => t.yahooSymbol)).size).toBe(56);
  });

  it('splits by market like the reference: US 18, HKEX 12, SGX 11, TSE 7, HOSE 7, TWSE 1', () => {
    const count = (pred: (t: Ticker) => boolean) => tickers.filter(pred).length;
    expect(count((t) => ['NASDAQ', 'NYSE', 'NYSEARCA'].includes(t.exchange))).toBe(18);
    expect(count((t) => t.exchange === 'HKEX')).toBe(12);
    expect(count((t) => t.exchange === 'SGX')).toBe(11);
    expect(count((t) => t.exchange === 'TSE')).toBe(7);
    expect(count((t) => t.exchange === 'HOSE')).toBe(7);
    expect(count((t) => t.exchange === 'TWSE')).toBe(1);
  });

  it('puts each US underlying on its own exchange', () => {
    const exchangeOf = (yahoo: string) => tickers.find((t) => t.yahooSymbol === yahoo)!.exchange;
    for (const y of ['NVDA', 'COST', 'QQQM', 'AAPL', 'DDOG', 'ISRG', 'MU', 'MSFT']) expect(exchangeOf(y), y).toBe('NASDAQ');
    for (const y of ['JPM', 'PFE', 'DIS', 'ABBV', 'DELL', 'ORCL', 'UNH', 'NOW']) expect(exchangeOf(y), y).toBe('NYSE');
    for (const y of ['GLD', 'SPLG']) expect(exchangeOf(y), y).toBe('NYSEARCA');
  });

  it('takes the currency from the market (BONDAS19 trades on the USD counter of SGX)', () => {
    const currencyOfExchange: Record<string, string> = {
      NASDAQ: 'USD',
      NYSE: 'USD',
      NYSEARCA: 'USD',
      SGX: 'SGD',
      TSE: 'JPY',
      HKEX: 'HKD',
      HOSE: 'VND',
      TWSE: 'TWD',
    };
    for (const t of tickers) {
      const expected = t.symbol === 'BONDAS19' ? 'USD' : currencyOfExchange[t.exchange];
      expect(t.currency, t.symbol).toBe(expected);
    }
  });

  it('marks exactly the seven ETFs, which have no sector; every stock has one', () => {
    const etfs = tickers.filter((t) => t.type === 'etf').map((t) => t.symbol);
    expect(etfs.sort()).toEqual(['BONDAS19', 'GOLD19', 'GOLDUS19', 'INDIAESG19', 'QQQM19', 'SP500US19', 'TAIWAN19']);
    for (const t of tickers) {
      if (t.type === 'etf') expect(t.sector, t.symbol).toBeNull();
      else expect(t.sector, t.symbol).toMatch(/\w/);
    }
  });
});

describe('TickerRegistry.resolve', () => {
  it('resolves every DR by every form, any case, trimmed', () => {
    for (const t of tickers) {
      const forms = [t.symbol, t.symbol.toLowerCase(), `  ${t.symbol} `, t.symbol.replace(/19$/, ''), t.yahooSymbol, t.yahooSymbol.toLowerCase()];
      if (t.yahooSymbol.includes('.')) forms.push(t.yahooSymbol.split('.')[0]!);
      for (const form of forms) expect(registry.resolve(form)?.symbol, `${t.symbol} as "${form}"`).toBe(t.symbol);
    }
  });

  it.each([
    ['nvda', 'NVDA19'],
    ['NVDA', 'NVDA19'],
    ['NVDA19', 'NVDA19'],
    ['nvda19', 'NVDA19'],
    ['d05.si', 'DBS19'],
    ['D05', 'DBS19'],
    ['DBS19', 'DBS19'],
    ['dbs', 'DBS19'],
    ['0700.hk', 'TENCENT19'],
    ['0700', 'TENCENT19'],
    ['mu', 'MICRON19'],
    ['msn.vn', 'MSN19'],
    ['7011.T', 'MITSU19'],
  ])('%s → %s', (input, symbol) => {
    expect(registry.resolve(input)?.symbol).toBe(symbol);
  });

  it('returns undefined for unknown and empty input', () => {
    expect(registry.resolve('NVDX')).toBeUndefined();
    expect(registry.resolve('   ')).toBeUndefined();
    expect(registry.resolve('MSN.HM')).toBeUndefined();
  });

  it('prefers an exact DR over a stem, a stem over a Yahoo symbol, a Yahoo symbol over a bare Yahoo stem', () => {
    const r = new TickerRegistry([
      ticker('ABC', 'ABC.X'),
      ticker('ABC19', 'QQQ'),
      ticker('XYZ19', 'ABC19'),
      ticker('DEF19', 'XYZ'),
      ticker('LMN19', '0700'),
      ticker('OPQ19', '0700.HK'),
    ]);
    expect(r.resolve('abc')?.symbol).toBe('ABC');
    expect(r.resolve('abc19')?.symbol).toBe('ABC19');
    expect(r.resolve('XYZ')?.symbol).toBe('XYZ19');
    expect(r.resolve('0700')?.symbol).toBe('LMN19');
  });

  it('ignores a bare Yahoo stem that two tickers share', () => {
    const r = new TickerRegistry([ticker('AAA19', 'ZZZ.SI'), ticker('BBB19', 'ZZZ.HK')]);
    expect(r.resolve('ZZZ')).toBeUndefined();
    expect(r.resolve('zzz.hk')?.symbol).toBe('BBB19');
  });

  it('get() takes the DR symbol only', () => {
    expect(registry.get('NVDA19')?.yahooSymbol).toBe('NVDA');
    expect(registry.get('nvda')).toBeUndefined();
  });

  it('lists all and active tickers', () => {
    const r = new TickerRegistry([ticker('AAA19', 'AAA'), { ...ticker('BBB19', 'BBB'), active: false }]);
    expect(r.all().map((t) => t.symbol)).toEqual(['AAA19', 'BBB19']);
    expect(r.active().map((t) => t.symbol)).toEqual(['AAA19']);
  });

  it('rejects duplicate DR or Yahoo symbols', () => {
    expect(() => new TickerRegistry([ticker('AAA19', 'AAA'), ticker('AAA19', 'BBB')])).toThrow(/duplicate DR symbol AAA19/);
    expect(() => new TickerRegistry([ticker('AAA19', 'AAA'), ticker('BBB19', 'AAA')])).toThrow(/share Yahoo symbol AAA/);
  });
});

describe('TickerRegistry.resolveOrThrow', () => {
  it('suggests NVDA19 for NVDX', () => {
    let error: unknown;
    try {
      registry.resolveOrThrow('NVDX');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnknownTickerError);
    expect(error).toBeInstanceOf(InputError);
    const e = error as UnknownTickerError;
    expect(e.message).toContain('"NVDX"');
    expect(e.message).toContain('NVDA19');
    expect(e.details).toEqual({ input: 'NVDX', suggestions: e.suggestions });
    expect(e.suggestions[0]).toBe('NVDA19');
  });

  it('ranks prefix matches, then company names, then near misses; at most five', () => {
    expect(registry.suggest('NINT')[0]).toBe('NINTENDO19');
    expect(registry.suggest('apple')).toEqual(['AAPL19']);
    expect(registry.suggest('masan')).toEqual(['MSN19']);
    expect(registry.suggest('MITSUBISHI').sort()).toEqual(['MITSU19', 'MUFG19']);
    expect(registry.suggest('S').length).toBe(5);
    expect(registry.suggest('DBX19')[0]).toBe('DBS19');
  });

  it('says so when nothing is close', () => {
    expect(() => registry.resolveOrThrow('QWERTYUIOP')).toThrow(/unknown ticker "QWERTYUIOP"; no similar symbol/);
  });

  it('returns the ticker when it resolves', () => {
    expect(registry.resolveOrThrow(' tencent ').yahooSymbol).toBe('0700.HK');
  });
});

describe('registry files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'daybreak-registry-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (tickerRows: unknown[]) => ({ version: 1, updated: '2026-11-28', tickers: tickerRows });

  it('rejects duplicate DR and Yahoo symbols, naming the rows', () => {
    expect(() => parseTickerFile(file([ticker('AAA19', 'AAA'), ticker('AAA19', 'BBB')]))).toThrow(/duplicate symbol AAA19 \(also row 0\)/);
    expect(() => parseTickerFile(file([ticker('AAA19', 'AAA'), ticker('BBB19', 'AAA')]))).toThrow(/duplicate yahooSymbol AAA/);
  });

  it('rejects malformed rows with an InputError listing the problems', () => {
    const bad = { ...ticker('aaa19', 'AAA'), exchange: 'LSE' };
    expect(() => parseTickerFile(file([bad]), 'mine.json')).toThrow(InputError);
    expect(() => parseTickerFile(file([bad]), 'mine.json')).toThrow(/invalid ticker registry mine.json[\s\S]*tickers.0.symbol[\s\S]*tickers.0.exchange/);
  });

  it('loads a registry file from disk', () => {
    const path = join(dir, 'tickers.json');
    writeFileSync(path, JSON.stringify(file([ticker('AAA19', 'AAA')])));
    expect(loadTickersFile(path).map((t) => t.symbol)).toEqual(['AAA19']);
    expect(() => loadTickersFile(join(dir, 'missing.json'))).toThrow(/cannot read ticker registry .*missing\.json/);
    writeFileSync(join(dir, 'broken.json'), '{"version": 1,');
    expect(() => loadTickersFile(join(dir, 'broken.json'))).toThrow(/is not valid JSON/);
  });
});

describe('levenshtein', () => {
  it.each([
    ['', 'abc', 3],
    ['NVDX', 'NVDA', 1],
    ['kitten', 'sitting', 3],
    ['same', 'same', 0],
  ])('%s ↔ %s = %i', (a, b, d) => {
    expect(levenshtein(a, b)).toBe(d);
    expect(levenshtein(b, a)).toBe(d);
  });
});
