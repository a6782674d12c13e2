import { describe, expect, it } from 'vitest';
import { businessDaysEnding } from './business-date.js';
import type { DailyBar } from './daily-bar.js';
import { buildFxView, fxPairFor } from './fx-view.js';

const bar = (date: string, close: number): DailyBar => ({ date, open: close, high: close, low: close, close, volume: 0 });
const days = businessDaysEnding('2026-11-27', 30);

describe('fxPairFor', () => {
  it('names the Yahoo pair against THB, none for THB', () => {
    expect(fxPairFor('USD')).toBe('USDTHB=X');
    expect(fxPairFor('jpy')).toBe('JPYTHB=X');
    expect(fxPairFor('THB')).toBeNull();
  });
});

describe('buildFxView', () => {
  it('converts the 1-month return to THB with the rate on each close’s date', () => {
    // The stock rises 10 % over 21 bars while the dollar falls from 33 to 31.35 baht (−5 %).
    const bars = days.map((d, i) => bar(d, i < days.length - 22 ? 90 : i === days.length - 22 ? 100 : 110));
    const rates = days.map((d, i) => bar(d, i <= days.length - 22 ? 33 : 31.35));
    const fx = buildFxView('USDTHB=X', bars, rates, 'en')!;
    expect(fx).toMatchObject({ pair: 'USDTHB=X', base_currency: 'USD', quote_currency: 'THB', rate: 31.35, rate_date: '2026-11-27' });
    expect(fx.return_1m_local_pct).toBeCloseTo(10, 10);
    expect(fx.change_1m_pct).toBeCloseTo(-5, 10);
    expect(fx.return_1m_thb_pct).toBeCloseTo((1.1 * 0.95 - 1) * 100, 10); // +4.5 %
    expect(fx.fx_effect_pct_points).toBeCloseTo(4.5 - 10, 10);
    expect(fx.change_1d_pct).toBeCloseTo(0, 12);
  });

  it('takes the last rate on or before a bar’s date when the calendars differ (a Thai or US holiday)', () => {
    const bars = [bar('2026-11-26', 100), bar('2026-11-27', 101)];
    const rates = [bar('2026-11-24', 32), bar('2026-11-25', 32.5)];
    const fx = buildFxView('USDTHB=X', bars, rates, 'en')!;
    expect(fx.rate).toBe(32.5);
    expect(fx.rate_date).toBe('2026-11-25');
    expect(fx.change_1d_pct).toBeCloseTo((32.5 / 32 - 1) * 100, 10);
    expect(fx.return_1m_thb_pct).toBeNull(); // 2 bars: no month
  });

  it('is null when no rate is on or before the last bar', () => {
    expect(buildFxView('USDTHB=X', [bar('2026-11-27', 1)], [bar('2026-11-30', 32)], 'en')).toBeNull();
    expect(buildFxView('USDTHB=X', [bar('2026-11-27', 1)], [], 'en')).toBeNull();
  });
});
