import { describe, expect, it } from 'vitest';
import { callFromEvidence, holdCall, HYSTERESIS_MARGINS, STANCE_THRESHOLD, type StanceEvidence } from './semantic-states.js';

const ev = (score: number, rsi: StanceEvidence['rsi_zone'] = 'neutral'): StanceEvidence => ({
  score,
  agreement: 1,
  completeness: 1,
  conflict: 0,
  rsi_zone: rsi,
  volatility_regime: 'normal',
});

describe('call hysteresis', () => {
  const t = STANCE_THRESHOLD;
  const m = HYSTERESIS_MARGINS.stance;

  it('without a held call, decides from the evidence alone', () => {
    expect(callFromEvidence(ev(t)).recommendation).toBe('BUY');
    expect(callFromEvidence(ev(t - 0.01)).recommendation).toBe('HOLD');
    expect(callFromEvidence(ev(-t)).recommendation).toBe('SELL');
  });

  it('keeps a BUY through a dip inside the margin, and drops it past the margin once confirmed', () => {
    const buy = callFromEvidence(ev(0.5));
    expect(callFromEvidence(ev(t - m / 2), buy).recommendation).toBe('BUY');
    const first = callFromEvidence(ev(0), buy);
    expect(first.recommendation).toBe('BUY'); // one bar is not yet a change
    expect(callFromEvidence(ev(0), first).recommendation).toBe('HOLD');
  });

  it('switches at once when the score is past the threshold by the margin', () => {
    const buy = callFromEvidence(ev(0.5));
    expect(callFromEvidence(ev(-(t + m)), buy).recommendation).toBe('SELL');
  });

  it('a HOLD held for overbought RSI turns back into BUY only once RSI is neutral again', () => {
    const hot = callFromEvidence(ev(0.5, 'overbought'));
    expect(hot).toMatchObject({ recommendation: 'HOLD', caveats: ['overbought'] });
    expect(callFromEvidence(ev(0.5, 'approaching_overbought'), hot).recommendation).toBe('HOLD');
    expect(callFromEvidence(ev(0.5, 'neutral'), hot).recommendation).toBe('BUY');
  });

  it('flips less than the raw call on a score hovering at the threshold', () => {
    const scores = Array.from({ length: 60 }, (_, i) => t + (i % 2 === 0 ? 0.02 : -0.05));
    const raw = scores.map((s) => callFromEvidence(ev(s)).recommendation);
    const held = scores.map((_, i) => holdCall(scores.slice(Math.max(0, i - 10), i + 1).map((s) => ev(s)))!.recommendation);
    const changes = (xs: string[]) => xs.filter((x, i) => i > 0 && x !== xs[i - 1]).length;
    expect(changes(raw)).toBe(59);
    expect(changes(held)).toBe(0);
  });
});
