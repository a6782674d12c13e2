import { describe, expect, it } from 'vitest';
import type { Report } from '../report/report.js';
import { oneLineWhy, reportPageUrl } from './digest.js';

/** The parts of a report the one-line why reads. */
function reportIn(language: 'th' | 'en'): Report {
  return {
    language,
    stance: 'bullish',
    summary_sections: { key_takeaways: [language === 'th' ? 'ราคาปิดที่ 180.00 ดอลลาร์' : 'The close was $180.00'] },
    stance_reasons: language === 'th' ? ['แนวโน้มเป็นขาขึ้น ราคายืนเหนือเส้นค่าเฉลี่ยเคลื่อนที่ส่วนใหญ่'] : ['the trend is up: price holds above most of its moving averages'],
    semantic_states: { trend: 'up', macd_momentum: 'bullish', rsi_zone: 'neutral' },
  } as unknown as Report;
}

describe('the digest says why in the reader’s language', () => {
  it('takes the first key takeaway when the report is in the reader’s language', () => {
    expect(oneLineWhy(reportIn('th'), 'th')).toBe('ราคาปิดที่ 180.00 ดอลลาร์');
    expect(oneLineWhy(reportIn('en'), 'en')).toBe('The close was $180.00');
  });

  it('gives an English reader of a Thai report English, from the report’s states', () => {
    const why = oneLineWhy(reportIn('th'), 'en');
    expect(why).toBe('The trend is up: price holds above most of its moving averages; MACD is positive.');
    expect(why).not.toMatch(/[\u0E00-\u0E7F]/);
  });

  it('gives a Thai reader of an English report Thai', () => {
    expect(oneLineWhy(reportIn('en'), 'th')).toMatch(/^แนวโน้มขาขึ้น/);
  });

  it('links an English reader to the page in English, a Thai reader to the default', () => {
    expect(reportPageUrl('https://d.example', 'NVDA19', 'en')).toBe('https://d.example/#/report/NVDA19?lang=en');
    expect(reportPageUrl('https://d.example', 'NVDA19', 'th')).toBe('https://d.example/#/report/NVDA19');
  });
});
