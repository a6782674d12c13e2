import { describe, expect, it } from 'vitest';
import { PermanentError } from '../errors.js';
import type { Ticker } from '../registry/ticker.js';
import { loadDefaultTickers } from '../registry/ticker-registry.js';
import { businessDaysEnding } from '../report/business-date.js';
import type { DailyBar } from '../report/daily-bar.js';
import { DemoMarketData, generateDemoBars } from './demo-market-data.js';

const tickers = loadDefaultTickers();
const END = '2026-11-28'; // a Saturday: the last bar is Friday 2026-11-27
const series = new Map<string, DailyBar[]>(tickers.map((t) => [t.symbol, generateDemoBars(t.yahooSymbol, END, 520, { kind: t.type })]));
const closes = (bars: DailyBar[]) => bars.map((b) => b.close);
const logReturns = (bars: DailyBar[]) => bars.slice(1).map((b, i) => Math.log(b.close / bars[i]!.close));

function autocorrelation(x: number[], lag: number): number {
  const mean = x.reduce((a, b) => a + b, 0) / x.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < x.length; i++) {
    den += (x[i]! - mean) ** 2;
    if (i >= lag) num += (x[i]! - mean) * (x[i - lag]! - mean);
  }
  return num / den;
}

function tickerOf(symbol: string): Ticker {
  return tickers.find((t) => t.symbol === symbol)!;
}

describe('DemoMarketData', () => {
  const source = new DemoMarketData();

  it('is labelled demo and returns 520 bars ending at the last business day on or before endDate', async () => {
    expect(source.name).toBe('demo');
    const bars = await source.fetchDailyBars(tickerOf('NVDA19'), { endDate: END, minBars: 300 });
    expect(bars).toHaveLength(520);
    expect(bars.at(-1)!.date).toBe('2026-11-27');
    expect(bars.map((b) => b.date)).toEqual(businessDaysEnding(END, 520));
  });

  it('returns more when asked for more, and refuses fewer than 400 by configuration', async () => {
    const bars = await source.fetchDailyBars(tickerOf('DBS19'), { endDate: '2026-11-30', minBars: 700 });
    expect(bars).toHaveLength(700);
    expect(bars.at(-1)!.date).toBe('2026-11-30');
    expect((await new DemoMarketData({ bars: 400 }).fetchDailyBars(tickerOf('DBS19'), { endDate: END, minBars: 1 })).length).toBe(400);
    expect(() => new DemoMarketData({ bars: 399 })).toThrow(/at least 400/);
  });

  it('is deterministic: same input, identical output', async () => {
    const a = await source.fetchDailyBars(tickerOf('TENCENT19'), { endDate: END, minBars: 520 });
    const b = await new DemoMarketData().fetchDailyBars(tickerOf('TENCENT19'), { endDate: END, minBars: 520 });
    expect(b).toEqual(a);
    expect(generateDemoBars('0700.HK', END, 520)).toEqual(generateDemoBars('0700.HK', END, 520));
  });

  it('keeps history stable as the end date moves, like real data', () => {
    const friday = generateDemoBars('NVDA', '2026-11-20', 520);
    const nextWeek = new Map(generateDemoBars('NVDA', '2026-11-27', 600).map((b) => [b.date, b]));
    for (const bar of friday) expect(nextWeek.get(bar.date)).toEqual(bar);
  });

  it("sits near each ticker's registry reference price: Microsoft in the hundreds of dollars, Nintendo in thousands of yen", async () => {
    for (const t of tickers) {
      const bars = await source.fetchDailyBars(t, { endDate: END, minBars: 400 });
      const ratio = bars.at(-1)!.close / t.referencePrice!;
      // The path wanders around the level (mean-reverting over about a year), as a real price does around its average.
      expect(ratio, t.symbol).toBeGreaterThan(0.33);
      expect(ratio, t.symbol).toBeLessThan(3);
    }
    const last = async (symbol: string) => (await source.fetchDailyBars(tickerOf(symbol), { endDate: END, minBars: 400 })).at(-1)!.close;
    expect(await last('MSFT19')).toBeGreaterThan(200);
    expect(await last('MSFT19')).toBeLessThan(1000);
    expect(await last('NINTENDO19')).toBeGreaterThan(4000);
    expect(await last('NINTENDO19')).toBeLessThan(25_000);
  });

  it('scales only the level: returns are those of the unscaled series (up to tick rounding)', () => {
    const plain = generateDemoBars('MSFT', END, 400, { sector: 'Software' });
    const scaled = generateDemoBars('MSFT', END, 400, { sector: 'Software', referencePrice: 480 });
    const ratio = scaled.at(-1)!.close / plain.at(-1)!.close;
    for (let i = 0; i < plain.length; i++) {
      expect(scaled[i]!.close / plain[i]!.close).toBeCloseTo(ratio, 2);
      expect(scaled[i]!.volume).toBe(plain[i]!.volume);
    }
  });

  it('makes currency pairs against THB: low volatility, no volume, six significant digits', async () => {
    const pair = { ...tickerOf('NVDA19'), symbol: 'USDTHB=X', yahooSymbol: 'USDTHB=X', sector: null, referencePrice: 32.5 };
    const bars = await source.fetchDailyBars(pair, { endDate: END, minBars: 400 });
    expect(bars).toHaveLength(520);
    expect(bars.every((b) => b.volume === 0)).toBe(true);
    expect(bars.at(-1)!.close).toBeGreaterThan(20);
    expect(bars.at(-1)!.close).toBeLessThan(50);
    const sd = Math.sqrt(logReturns(bars).reduce((a, r) => a + r * r, 0) / (bars.length - 1)) * Math.sqrt(252);
    expect(sd).toBeLessThan(0.15);
    expect(Math.round(bars.at(-1)!.close * 1e4) / 1e4).toBe(bars.at(-1)!.close);
  });

  it('rejects a bad end date with a PermanentError', async () => {
    await expect(source.fetchDailyBars(tickerOf('NVDA19'), { endDate: '2026-11-31', minBars: 10 })).rejects.toThrow(PermanentError);
  });
});

describe('generateDemoBars', () => {
  it('gives every ticker sane OHLCV bars on consecutive business days', () => {
    const days = businessDaysEnding(END, 520);
    for (const [symbol, bars] of series) {
      expect(bars.map((b) => b.date), symbol).toEqual(days);
      for (const b of bars) {
        const ok =
          b.low > 0 &&
          b.high >= Math.max(b.open, b.close) &&
          b.low <= Math.min(b.open, b.close) &&
          Number.isFinite(b.high) &&
          Number.isInteger(b.volume) &&
          b.volume > 0;
        if (!ok) expect.fail(`${symbol} ${b.date}: ${JSON.stringify(b)}`);
      }
    }
  });

  it('prices each market on its own scale', () => {
    const lastClose = (symbol: string) => series.get(symbol)!.at(-1)!.close;
    for (const t of tickers.filter((x) => x.currency === 'VND')) expect(lastClose(t.symbol), t.symbol).toBeGreaterThan(3000);
    for (const t of tickers.filter((x) => x.currency === 'JPY')) expect(lastClose(t.symbol), t.symbol).toBeGreaterThan(100);
    for (const t of tickers.filter((x) => x.currency === 'JPY')) expect(Number.isInteger(lastClose(t.symbol)), t.symbol).toBe(true);
  });

  it('differs between tickers', () => {
    const seen = new Set([...series.values()].map((bars) => closes(bars).slice(-20).join(',')));
    expect(seen.size).toBe(tickers.length);
    expect(generateDemoBars('AAA', END, 400)).not.toEqual(generateDemoBars('AAB', END, 400));
  });

  it('clusters volatility: absolute returns are positively autocorrelated on average', () => {
    const acfs = [...series.values()].map((bars) => autocorrelation(logReturns(bars).map(Math.abs), 1));
    const mean = acfs.reduce((a, b) => a + b, 0) / acfs.length;
    expect(mean).toBeGreaterThan(0.05);
    // …while the returns themselves are close to uncorrelated.
    const raw = [...series.values()].map((bars) => autocorrelation(logReturns(bars), 1));
    expect(Math.abs(raw.reduce((a, b) => a + b, 0) / raw.length)).toBeLessThan(0.05);
  });

  it('has some tickers trending up and some down over the last three months', () => {
    const moves = [...series.values()].map((bars) => bars.at(-1)!.close / bars.at(-64)!.close - 1);
    expect(moves.filter((m) => m > 0.05).length).toBeGreaterThanOrEqual(5);
    expect(moves.filter((m) => m < -0.05).length).toBeGreaterThanOrEqual(5);
  });

  it('opens away from the previous close now and then', () => {
    let gaps = 0;
    for (const bars of series.values()) gaps += bars.slice(1).filter((b, i) => Math.abs(b.open / bars[i]!.close - 1) > 0.02).length;
    expect(gaps).toBeGreaterThan(50);
  });

  it('trades more on big-move days', () => {
    let higher = 0;
    for (const bars of series.values()) {
      const moves = logReturns(bars).map(Math.abs);
      const cut = [...moves].sort((a, b) => a - b)[Math.floor(moves.length * 0.9)]!;
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      const big = mean(bars.slice(1).filter((_, i) => moves[i]! >= cut).map((b) => b.volume));
      const rest = mean(bars.slice(1).filter((_, i) => moves[i]! < cut).map((b) => b.volume));
      if (big > rest) higher++;
    }
    expect(higher).toBeGreaterThan(tickers.length * 0.9);
  });

  it('moves tickers of one sector together, of one market less, and across markets least', () => {
    const correlation = (a: number[], b: number[]) => {
      const mean = (x: number[]) => x.reduce((s, v) => s + v, 0) / x.length;
      const [ma, mb] = [mean(a), mean(b)];
      let ab = 0;
      let aa = 0;
      let bb = 0;
      for (let i = 0; i < a.length; i++) {
        ab += (a[i]! - ma) * (b[i]! - mb);
        aa += (a[i]! - ma) ** 2;
        bb += (b[i]! - mb) ** 2;
      }
      return ab / Math.sqrt(aa * bb);
    };
    const returns = (symbol: string, sector: string) => logReturns(generateDemoBars(symbol, END, 520, { sector }));
    const sameSector = correlation(returns('AAPL', 'Technology'), returns('MSFT', 'Technology'));
    const sameMarket = correlation(returns('AAPL', 'Technology'), returns('PFE', 'Pharmaceuticals'));
    const acrossMarkets = correlation(returns('AAPL', 'Technology'), returns('D05.SI', 'Banks'));
    expect(sameSector).toBeGreaterThan(0.35);
    expect(sameSector).toBeGreaterThan(sameMarket);
    expect(sameMarket).toBeGreaterThan(acrossMarkets);
    expect(acrossMarkets).toBeLessThan(0.25);
  });
});
