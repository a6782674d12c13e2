import { describe, expect, it } from 'vitest';
import { businessDaysEnding } from './business-date.js';
import type { DailyBar } from './daily-bar.js';
import { buildFundamentals, emptyCompanyInfo } from './fundamentals.js';
import { barsDigest, inputsFingerprint, onlyTrackRecordDiffers, REPORT_CORE_VERSION, type ReportFingerprintInputs } from './inputs-fingerprint.js';
import { QUALITY_SCORER_VERSION } from './quality-scores.js';
import { assessValuation } from './valuation.js';
import type { StoredCall } from './track-record/call-store.js';
import { narrativeTrackRecord, reportTrackRecord } from './track-record/report-track-record.js';

const DATES = businessDaysEnding('2026-11-27', 300);
const BARS: DailyBar[] = DATES.map((date, i) => {
  const close = 100 + Math.sin(i / 9) * 8 + i * 0.05;
  return { date, open: close - 0.4, high: close + 1.1, low: close - 1.3, close, volume: 1_000_000 + (i % 17) * 25_000 };
});

const RATES: DailyBar[] = DATES.map((date, i) => {
  const close = 32 + Math.cos(i / 11) * 0.4;
  return { date, open: close, high: close, low: close, close, volume: 0 };
});
const LAST_CLOSE = BARS.at(-1)!.close;
const fundamentalsWith = (pe: number) =>
  buildFundamentals({ info: { ...emptyCompanyInfo(), currency: 'USD', pe_ratio: pe, analyst_target_mean: 140 }, business_date: '2026-11-27', source: 'csv' }, LAST_CLOSE, 'USD');
const valuationWith = (pe: number, peersPe: number) =>
  assessValuation(fundamentalsWith(pe), { sectorMates: [{ ticker: 'AMD19', pe_ratio: peersPe }, { ticker: 'TSM19', pe_ratio: peersPe + 4 }], correlated: [] }, 'en');

const TRACK_RECORD_CALLS: StoredCall[] = ['2026-11-20', '2026-11-23', '2026-11-24'].map((date, i) => ({
    strategy: 'daybreak',
    ticker: 'NVDA19',
    business_date: date,
    origin: 'report',
    source: 'csv',
    as_of: date,
    recommendation: 'BUY',
    stance: 'bullish',
    confidence: 'medium',
    score: 0.4,
    close: 100 + i,
    returns: { d1: 0.5, d5: i === 2 ? null : 1.2, d21: null },
    excess: { d1: 0.1, d5: i === 2 ? null : 0.3, d21: null },
    hit: { d1: true, d5: i === 2 ? null : true, d21: null },
}));
const TRACK_RECORD = reportTrackRecord(TRACK_RECORD_CALLS, '2026-11-27');

function baseInputs(): ReportFingerprintInputs {
  return {
    bars_digest: barsDigest(BARS),
    history_bars: 260,
    data_source: 'csv',
    headlines: [
      { title: 'Nvidia beats estimates', published_at: '2026-11-26T21:05:00.000Z', site: 'reuters.com', url: 'https://r.example/1', text: null, source: 'csv' },
      { title: 'Chip stocks slide', published_at: '2026-11-25T14:00:00.000Z', site: 'cnbc.com', url: 'https://c.example/2', text: 'Lede', source: 'csv' },
    ],
    news_window_days: 7,
    peers: {
      method: 'pearson log returns, 60 days',
      top: [{ ticker: 'AMD19', name: 'AMD', sector: 'Semiconductors', correlation: 0.81, overlap: 60, return_1m_pct: 4.2, volatility_30d_pct: 41 }],
      sector_mates: ['AMD19'],
      return_1m_pct: 3.1,
      volatility_30d_pct: 38,
      peers_median_return_1m_pct: 4.2,
      peers_median_volatility_30d_pct: 41,
      return_1m_vs_median_pct: -1.1,
      volatility_vs_median_pct: -7.3,
    },
    ticker: { symbol: 'NVDA19', yahooSymbol: 'NVDA', name: 'NVIDIA', exchange: 'NASDAQ', currency: 'USD', sector: 'Semiconductors', type: 'stock' },
    language: 'th',
    writer: 'llm',
    model: 'openai/gpt-4o-mini',
    old_data: false,
    fundamentals: fundamentalsWith(45),
    valuation: valuationWith(45, 30),
    old_company_info: false,
    fx_rates: barsDigest(RATES),
    track_record: TRACK_RECORD,
  };
}

describe('inputsFingerprint', () => {
  const base = inputsFingerprint(baseInputs());

  it('is a stable sha256 of the same inputs, whatever order headlines and fields come in', () => {
    expect(base).toMatch(/^sha256:[0-9a-f]{64}\+[0-9a-f]{64}$/);
    expect(inputsFingerprint(baseInputs())).toBe(base);
    const reordered = baseInputs();
    reordered.headlines = [...reordered.headlines].reverse();
    const { language, ...rest } = reordered;
    expect(inputsFingerprint({ language, ...rest })).toBe(base);
  });

  it('names this build\'s report core and scorer versions by default', () => {
    expect(inputsFingerprint({ ...baseInputs(), code: { report_core: REPORT_CORE_VERSION, quality_scorer: QUALITY_SCORER_VERSION } })).toBe(base);
  });

  // Each input a report is made of, changed alone, must give another fingerprint.
  const changes: [string, (i: ReportFingerprintInputs) => void][] = [
    ['a new bar', (i) => {
      i.bars_digest = barsDigest([...BARS, { date: '2026-11-30', open: 120, high: 121, low: 119, close: 120.5, volume: 1_200_000 }]);
    }],
    ['a corrected bar (same dates, one close revised)', (i) => {
      i.bars_digest = barsDigest(BARS.map((b, k) => (k === 150 ? { ...b, close: b.close + 0.01 } : b)));
    }],
    ['a corrected volume', (i) => {
      i.bars_digest = barsDigest(BARS.map((b, k) => (k === 299 ? { ...b, volume: b.volume + 1 } : b)));
    }],
    ['another history window', (i) => {
      i.history_bars = 300;
    }],
    ['another data source', (i) => {
      i.data_source = 'yahoo';
    }],
    ['a new headline', (i) => {
      i.headlines = [...i.headlines, { title: 'Export curbs widen', published_at: '2026-11-27T02:00:00.000Z', site: 'ft.com', url: 'https://f.example/3', text: null, source: 'csv' }];
    }],
    ['a headline that left the window', (i) => {
      i.headlines = i.headlines.slice(0, 1);
    }],
    ['a headline rewritten at the same URL', (i) => {
      i.headlines = i.headlines.map((h, k) => (k === 0 ? { ...h, title: 'Nvidia beats estimates, raises guidance' } : h));
    }],
    ['another news window', (i) => {
      i.news_window_days = 14;
    }],
    ['reports without news', (i) => {
      i.news_window_days = null;
      i.headlines = [];
    }],
    ['another peer set', (i) => {
      i.peers = { ...i.peers!, top: [{ ...i.peers!.top[0]!, ticker: 'TSM19', name: 'TSMC', correlation: 0.74 }] };
    }],
    ['a peer correlation moved', (i) => {
      i.peers = { ...i.peers!, top: [{ ...i.peers!.top[0]!, correlation: 0.8 }] };
    }],
    ['no peers', (i) => {
      i.peers = null;
    }],
    ['another registry row (renamed company)', (i) => {
      i.ticker = { ...i.ticker, name: 'NVIDIA Corporation' };
    }],
    ['another sector in the registry', (i) => {
      i.ticker = { ...i.ticker, sector: 'Technology' };
    }],
    ['another language', (i) => {
      i.language = 'en';
    }],
    ['another writer', (i) => {
      i.writer = 'template';
      i.model = null;
    }],
    ['another model', (i) => {
      i.model = 'anthropic/claude-3.5-sonnet';
    }],
    ['the data became old', (i) => {
      i.old_data = true;
    }],
    ['new company info (another P/E)', (i) => {
      i.fundamentals = fundamentalsWith(46);
    }],
    ['no company info', (i) => {
      i.fundamentals = null;
    }],
    ['the peers\' P/E moved (another valuation)', (i) => {
      i.valuation = valuationWith(45, 31);
    }],
    ['the company info became old', (i) => {
      i.old_company_info = true;
    }],
    ['another THB rate', (i) => {
      i.fx_rates = barsDigest(RATES.map((r, k) => (k === RATES.length - 1 ? { ...r, close: r.close + 0.05 } : r)));
    }],
    ['no THB view', (i) => {
      i.fx_rates = null;
    }],
    ['a call graded since (another track record)', (i) => {
      i.track_record = reportTrackRecord(
        TRACK_RECORD_CALLS.map((c, k) => (k === 2 ? { ...c, returns: { ...c.returns, d5: -0.8 }, excess: { ...c.excess, d5: -1 }, hit: { ...c.hit, d5: false } } : c)),
        '2026-11-27',
      );
    }],
    ['a backtest replaced the calls (another track record)', (i) => {
      i.track_record = reportTrackRecord(TRACK_RECORD_CALLS.slice(1), '2026-11-27');
    }],
    ['no track record', (i) => {
      i.track_record = null;
    }],
    ['a new report-core version', (i) => {
      i.code = { report_core: `${REPORT_CORE_VERSION}+next`, quality_scorer: QUALITY_SCORER_VERSION };
    }],
    ['a new scorer version', (i) => {
      i.code = { report_core: REPORT_CORE_VERSION, quality_scorer: 'daybreak-quality/2' };
    }],
  ];

  it.each(changes)('changes with %s', (_name, change) => {
    const inputs = baseInputs();
    change(inputs);
    expect(inputsFingerprint(inputs)).not.toBe(base);
  });

  it('gives a different fingerprint for every one of those changes (none collapse onto another)', () => {
    const seen = new Set([base]);
    for (const [, change] of changes) {
      const inputs = baseInputs();
      change(inputs);
      seen.add(inputsFingerprint(inputs));
    }
    expect(seen.size).toBe(changes.length + 1);
  });

  it('tells a change of the track record shown alone (recomputed on a carried report) from one the narrative quotes', () => {
    const graded = baseInputs();
    graded.track_record = reportTrackRecord(TRACK_RECORD_CALLS.slice(1), '2026-11-27');
    expect(onlyTrackRecordDiffers(base, inputsFingerprint(graded))).toBe(true);
    expect(onlyTrackRecordDiffers(base, base)).toBe(false);
    const newBar = baseInputs();
    newBar.history_bars = 300;
    expect(onlyTrackRecordDiffers(base, inputsFingerprint(newBar))).toBe(false);
    // Thirty graded BUY calls: the narrative now quotes the hit rate, so the report itself must be made again.
    const quoted = baseInputs();
    const dates = businessDaysEnding('2026-11-20', 40);
    quoted.track_record = reportTrackRecord(
      dates.map((date) => ({ ...TRACK_RECORD_CALLS[0]!, business_date: date, as_of: date })),
      '2026-11-27',
    );
    expect(narrativeTrackRecord(quoted.track_record)).not.toBeNull();
    expect(onlyTrackRecordDiffers(base, inputsFingerprint(quoted))).toBe(false);
  });

  it('ignores the registry\'s active flag, which does not change a report', () => {
    const inputs = baseInputs();
    inputs.ticker = { ...inputs.ticker, active: false } as typeof inputs.ticker;
    expect(inputsFingerprint(inputs)).toBe(base);
  });
});
