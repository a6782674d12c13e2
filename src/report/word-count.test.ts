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
});
