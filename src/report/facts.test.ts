import { describe, expect, it } from 'vitest';
import { fixtureBars, inputsFor, peersOf, POSITIVE_NEWS } from './narrative-inputs.test-support.js';
import { buildFacts, formatFact, injectFacts, priceDecimals } from './facts.js';
import type { Fact, Facts } from './narrative-contract.js';

const fact = (key: string, value: number, unit: Fact['unit'], decimals: number): Fact => ({ key, value, unit, decimals, label: key });

describe('formatFact', () => {
  it('prices: thousand separators, decimals by magnitude, currency code in English and name in Thai', () => {
    expect(formatFact(fact('PRICE', 875.280029, 'price', priceDecimals(875.28)), 'en', 'USD')).toBe('875.28 USD');
    expect(formatFact(fact('PRICE', 875.280029, 'price', 2), 'th', 'USD')).toBe('875.28 ดอลลาร์สหรัฐ');
    expect(formatFact(fact('PRICE', 1234.5, 'price', priceDecimals(1234.5)), 'en', 'USD')).toBe('1,234.50 USD');
    expect(formatFact(fact('PRICE', 12345.678, 'price', priceDecimals(12345.678)), 'en', 'USD')).toBe('12,346 USD');
    expect(formatFact(fact('PRICE', 0.585, 'price', priceDecimals(0.585)), 'th', 'SGD')).toBe('0.585 ดอลลาร์สิงคโปร์');
    expect(formatFact(fact('PRICE', 1724.5, 'price', priceDecimals(1724.5, 'JPY')), 'th', 'JPY')).toBe('1,725 เยน');
    expect(formatFact(fact('PRICE', 84500, 'price', priceDecimals(84500, 'VND')), 'en', 'VND')).toBe('84,500 VND');
    expect(formatFact(fact('PRICE', 10, 'price', 2), 'th', 'XYZ')).toBe('10.00 XYZ');
  });

  it('percents keep their stated decimals; signed ones carry + or - and never -0', () => {
    expect(formatFact(fact('ATR_PCT', 4.2817, 'percent', 2), 'en', 'USD')).toBe('4.28%');
    expect(formatFact(fact('RETURN_1M', 12.345, 'signed_percent', 1), 'th', 'USD')).toBe('+12.3%');
    expect(formatFact(fact('RETURN_1M', -1234.56, 'signed_percent', 1), 'en', 'USD')).toBe('-1,234.6%');
    expect(formatFact(fact('CHANGE_PCT', -0.001, 'signed_percent', 2), 'en', 'USD')).toBe('0.00%');
    expect(formatFact(fact('CHANGE_PCT', 0.001, 'signed_percent', 2), 'en', 'USD')).toBe('0.00%');
    expect(formatFact(fact('RSI_PERCENTILE', 87.3, 'percent', 0), 'en', 'USD')).toBe('87%');
  });

  it('ratios read 1.52x / 1.52 เท่า; counts are integers; numbers keep decimals', () => {
    expect(formatFact(fact('VOLUME_RATIO', 1.517, 'ratio', 2), 'en', 'USD')).toBe('1.52x');
    expect(formatFact(fact('VOLUME_RATIO', 1.517, 'ratio', 2), 'th', 'USD')).toBe('1.52 เท่า');
    expect(formatFact(fact('NEWS_COUNT', 1234, 'count', 0), 'en', 'USD')).toBe('1,234');
    expect(formatFact(fact('RSI', 69.7952, 'number', 1), 'th', 'USD')).toBe('69.8');
    expect(formatFact(fact('MACD_HIST', -0.00456, 'number', 4), 'en', 'USD')).toBe('-0.0046');
  });
});

describe('buildFacts', () => {
  it('gives the catalogue of facts for a full real input', () => {
    const inputs = inputsFor({ symbol: 'NVDA19', name: 'NVIDIA Corporation', bars: fixtureBars('NVDA', '2024-03-08'), news: POSITIVE_NEWS, peers: peersOf(4.2) });
    const facts = buildFacts(inputs);
    for (const key of [
      'PRICE', 'CHANGE_PCT', 'RSI', 'RSI_PERCENTILE', 'MACD_HIST', 'SMA_20', 'SMA_50', 'SMA_200', 'PRICE_VS_SMA_50', 'ATR_PCT',
      'ATR_PCT_PERCENTILE', 'VOLATILITY_30D', 'VOLUME_RATIO', 'HIGH_52W', 'LOW_52W', 'RETURN_1M', 'RETURN_3M', 'RETURN_YTD',
      'RETURN_1Y', 'BB_UPPER', 'BB_LOWER', 'NEWS_POSITIVE_PCT', 'NEWS_NEGATIVE_PCT', 'NEWS_COUNT', 'PEER_COUNT',
      'TOP_PEER_CORRELATION', 'RETURN_VS_PEERS',
    ]) {
      expect(facts[key], key).toBeDefined();
      expect(Number.isFinite(facts[key]!.value), key).toBe(true);
      expect(facts[key]!.key).toBe(key);
    }
    expect(facts.PRICE!.value).toBe(inputs.technicals.price);
    expect(facts.PRICE_VS_SMA_50!.value).toBeCloseTo((inputs.technicals.price / inputs.technicals.indicators.sma_50! - 1) * 100, 10);
    expect(facts.PEER_COUNT!.value).toBe(3);
    expect(facts.TOP_PEER_CORRELATION!.value).toBe(0.68);
    expect(facts.RETURN_VS_PEERS!.value).toBe(4.2);
  });

  it('never makes a fact for a missing value', () => {
    // 60 bars: no SMA 200, no 52-week range, no 1-year return; no news, no peers
    const inputs = inputsFor({ symbol: 'X19', name: 'X', bars: fixtureBars('PFE', '2023-12-29', 60) });
    const facts = buildFacts(inputs);
    for (const key of ['SMA_200', 'PRICE_VS_SMA_200', 'HIGH_52W', 'LOW_52W', 'FROM_HIGH_52W_PCT', 'RETURN_1Y', 'NEWS_COUNT', 'NEWS_POSITIVE_PCT', 'PEER_COUNT', 'RETURN_VS_PEERS']) {
      expect(facts[key], key).toBeUndefined();
    }
    expect(facts.PRICE).toBeDefined();
    expect(facts.SMA_50).toBeDefined();
    expect(Object.values(facts).every((f) => Number.isFinite(f.value))).toBe(true);
  });

  it('peers with a null return gap give no RETURN_VS_PEERS; empty news gives no news facts', () => {
    const inputs = inputsFor({
      symbol: 'X19',
      name: 'X',
      bars: fixtureBars('PFE', '2023-12-29'),
      peers: peersOf(null, null),
      news: { overall: { positive_pct: 0, neutral_pct: 0, negative_pct: 0, count: 0 }, top: [] },
    });
    const facts = buildFacts(inputs);
    expect(facts.RETURN_VS_PEERS).toBeUndefined();
    expect(facts.VOLATILITY_VS_PEERS).toBeUndefined();
    expect(facts.PEER_COUNT!.value).toBe(3);
    expect(facts.NEWS_COUNT).toBeUndefined();
  });
});

describe('injectFacts', () => {
  const facts: Facts = {
    PRICE: fact('PRICE', 875.28, 'price', 2),
    RSI: fact('RSI', 69.79, 'number', 1),
    VOLUME_RATIO: fact('VOLUME_RATIO', 1.5, 'ratio', 2),
  };

  it('replaces every placeholder and counts them', () => {
    const r = injectFacts('It closed at {PRICE}. RSI is {RSI}, volume {VOLUME_RATIO} normal; {RSI} again.', facts, 'en', 'USD');
    expect(r.text).toBe('It closed at 875.28 USD. RSI is 69.8, volume 1.50x normal; 69.8 again.');
    expect(r.injected).toBe(4);
    expect(r.unknown).toEqual([]);
  });

  it('English: a sentence holding an unknown placeholder is removed and the name reported', () => {
    const r = injectFacts('## Story\n\nIt closed at {PRICE}. The P/E is {PE_RATIO}, cheap. RSI is {RSI}.\n', facts, 'en', 'USD');
    expect(r.text).toBe('## Story\n\nIt closed at 875.28 USD. RSI is 69.8.\n');
    expect(r.unknown).toEqual(['PE_RATIO']);
    expect(r.text).not.toMatch(/[{}]/);
  });

  it('Thai: the clause holding an unknown placeholder is removed, the rest kept', () => {
    const r = injectFacts('ราคาปิดที่ {PRICE} ถือว่าต่ำกว่ามูลค่า ค่า P/E ที่ {PE_RATIO} ยังถูกกว่ากลุ่ม ค่า RSI อยู่ที่ {RSI}', facts, 'th', 'USD');
    expect(r.unknown).toEqual(['PE_RATIO']);
    expect(r.text).toBe('ราคาปิดที่ 875.28 ดอลลาร์สหรัฐ ถือว่าต่ำกว่ามูลค่า ค่า RSI อยู่ที่ 69.8');
    expect(r.text).not.toMatch(/[{}]/);
  });

  it('malformed placeholders are treated as unknown; in a heading only the placeholder goes; empty paragraphs collapse', () => {
    const r = injectFacts('## Price {PRICE_NOW}\n\nRSI is {rsi}.\n\nIt closed at {PRICE}.', facts, 'en', 'USD');
    expect(r.unknown).toEqual(['PRICE_NOW', 'rsi']);
    expect(r.text).toBe('## Price\n\nIt closed at 875.28 USD.');
  });

  it('keeps a blockquote marker when it drops a sentence inside it', () => {
    const r = injectFacts('> Note: at {PRICE}. Also {NOPE} here.', facts, 'en', 'USD');
    expect(r.text).toBe('> Note: at 875.28 USD.');
  });
});
