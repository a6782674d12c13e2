import { describe, expect, it } from 'vitest';
import { countWords } from './word-count.js';

describe('countWords', () => {
  it('English: words and numbers count, punctuation and Markdown marks do not', () => {
    expect(countWords('## 📖 The story\n\nIt closed at 875.28 USD (+1.2%).', 'en')).toBe(8);
  });

  it('Thai: ICU word segmentation, not spaces', () => {
    // ราคา|หุ้น|ยัง|ยืน|เหนือ|เส้น|ค่า|เฉลี่ย = 8 words with no space between them
    expect(countWords('ราคาหุ้นยังยืนเหนือเส้นค่าเฉลี่ย', 'th')).toBe(8);
    expect(countWords('ราคาปิดที่ 875.28 ดอลลาร์สหรัฐ', 'th')).toBe(6);
  });

  it('counts a multi-line text as ICU does on the whole text, on the first call and when lines repeat', () => {
    const whole = (text: string, language: 'th' | 'en') =>
      [...new Intl.Segmenter(language, { granularity: 'word' }).segment(text)].filter((s) => s.isWordLike).length;
    const th = '## 📖 เรื่องราว\n\nราคาหุ้นยังยืนเหนือเส้นค่าเฉลี่ย 50 วัน\nแรงซื้อกลับมา\n\n_ไม่ใช่คำแนะนำการลงทุน_\n';
    const en = '## The story\n\nShares closed at 875.28 USD.\nMomentum is fading.\n';
    for (let i = 0; i < 2; i++) {
      expect(countWords(th, 'th')).toBe(whole(th, 'th'));
      expect(countWords(en, 'en')).toBe(whole(en, 'en'));
      expect(countWords(`${th}${th}`, 'th')).toBe(2 * whole(th, 'th'));
    }
  });
});
