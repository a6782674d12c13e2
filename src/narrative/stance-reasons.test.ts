import { describe, expect, it } from 'vitest';
import { narrate } from './narrate.js';
import { fixtureBars, inputsFor, MIXED_NEWS, NEGATIVE_NEWS, peersOf, POSITIVE_NEWS } from './narrative.test-support.js';
import { decideStance } from '../report/semantic-states.js';
import { stanceReasons } from './stance-reasons.js';
import { TemplateNarrativeWriter } from './template-narrative-writer.js';

const writer = new TemplateNarrativeWriter();
const THAI = /[\u0E00-\u0E7F]/;

/** A bullish, a bearish and a neutral call, so supporting reasons, caveats and the plus/minus sides all appear. */
const CASES = {
  up: { symbol: 'NVDA19', name: 'NVIDIA Corporation', bars: fixtureBars('NVDA', '2024-03-08'), news: POSITIVE_NEWS, peers: peersOf(6.1) },
  down: { symbol: 'NVDA19', name: 'NVIDIA Corporation', bars: fixtureBars('NVDA', '2022-10-14'), news: NEGATIVE_NEWS, peers: peersOf(-4.5, 35) },
  mixed: { symbol: 'PFIZER19', name: 'Pfizer Inc.', sector: 'Pharmaceuticals', bars: fixtureBars('PFE', '2023-12-29', 120), news: MIXED_NEWS },
};

describe('stance reasons in the report language', () => {
  for (const [name, options] of Object.entries(CASES)) {
    it(`${name}: a Thai narrative gives the same reasons as the English one, one for one, in Thai`, async () => {
      const en = await narrate(inputsFor({ ...options, language: 'en' }), writer);
      const th = await narrate(inputsFor({ ...options, language: 'th' }), writer);
      expect(th.decision).toEqual(en.decision);
      expect(en.stance_reasons).toEqual(en.decision.reasons);
      expect(th.stance_reasons.length).toBe(en.stance_reasons.length);
      expect(th.stance_reasons.length).toBeGreaterThan(0);
      for (const reason of th.stance_reasons) {
        expect(reason).toMatch(THAI);
        expect(reason).not.toMatch(/undefined|on the (plus|minus) side/);
        // English survives only as the indicator names a Thai reader sees on the chart.
        expect(reason.replace(/RSI|MACD/g, '')).not.toMatch(/[a-z]{3,}/i);
      }
    });
  }

  it('says the plus and minus sides of a torn neutral call in Thai, and its caveat', () => {
    const torn = decideStance({
      rsi_zone: 'approaching_overbought',
      trend: 'strong_down',
      macd_momentum: 'strengthening_bullish',
      volatility_regime: 'normal',
      volume: 'high',
      range_position: 'near_low',
      news_tone: 'positive',
      peer_relative: 'outperforming',
    });
    expect(torn.stance).toBe('neutral');
    expect(stanceReasons(torn, 'en')).toEqual(torn.reasons);
    const th = stanceReasons(torn, 'th');
    expect(th.filter((r) => r.startsWith('ด้านบวก '))).toHaveLength(1);
    expect(th.filter((r) => r.startsWith('ด้านลบ '))).toHaveLength(1);
    expect(th).toHaveLength(torn.reasons.length);
  });

  it('says a caveat in Thai', () => {
    const overbought = decideStance({
      rsi_zone: 'overbought',
      trend: 'strong_up',
      macd_momentum: 'strengthening_bullish',
      volatility_regime: 'normal',
      volume: 'high',
      range_position: 'near_high',
      news_tone: 'positive',
      peer_relative: 'outperforming',
    });
    expect(overbought.caveats).toContain('overbought');
    expect(stanceReasons(overbought, 'th').at(-1)).toBe('RSI อยู่ในเขตซื้อมากเกินไป การไล่ซื้อตอนนี้เสี่ยงซื้อที่ยอดของรอบขึ้นระยะสั้น');
  });
});
