import { describe, expect, it } from 'vitest';
import { mergeShortClauses, splitSentences } from './sentences.js';
import { extractSummarySections } from './summary-sections.js';

const texts = (line: string, lang: 'th' | 'en') => splitSentences(line, lang).map((p) => p.text);

describe('splitSentences', () => {
  it('English: ends at . ! ? before a capital, not at decimals or "Inc. is"', () => {
    expect(texts('Apple Inc. is at 875.28 USD. RSI is 69.8! Volume (1.5x) is high. {PRICE} next.', 'en')).toEqual([
      'Apple Inc. is at 875.28 USD.',
      'RSI is 69.8!',
      'Volume (1.5x) is high.',
      '{PRICE} next.',
    ]);
  });

  it('Thai: breaks at spaces between Thai words, not around numbers, Latin words, ๆ, amounts or connectives', () => {
    expect(texts('ราคาปิดที่ 875.28 ดอลลาร์สหรัฐ ยืนเหนือเส้นค่าเฉลี่ย ค่า RSI อยู่ที่ 69.8 แต่ยังไม่ถึงเขตซื้อมากเกินไป ราคาแกว่งไปมา ๆ', 'th')).toEqual([
      'ราคาปิดที่ 875.28 ดอลลาร์สหรัฐ ยืนเหนือเส้นค่าเฉลี่ย',
      'ค่า RSI อยู่ที่ 69.8 แต่ยังไม่ถึงเขตซื้อมากเกินไป',
      'ราคาแกว่งไปมา ๆ',
    ]);
  });

  it('Thai: an "if" clause stays with the clause after it', () => {
    expect(texts('หากราคาหลุดแนวรับ แนวโน้มจะเสีย ควรระวัง', 'th')).toEqual(['หากราคาหลุดแนวรับ แนวโน้มจะเสีย', 'ควรระวัง']);
  });

  it('the pieces rebuild the line', () => {
    const line = 'ภาพใหญ่ยังเป็นขาขึ้น ราคาปิดที่ 12.30 เยน  และยังยืนได้ ตอนนี้ใกล้จุดสูงสุด';
    expect(splitSentences(line, 'th').map((p) => p.text + p.separator).join('')).toBe(line);
  });

  it('mergeShortClauses joins clauses under eight words to the next one', () => {
    expect(mergeShortClauses(['ภาพใหญ่ยังดี', 'ราคาปิดที่ 875.28 ดอลลาร์สหรัฐ ยืนเหนือเส้นค่าเฉลี่ยทุกเส้น'], 'th')).toEqual([
      'ภาพใหญ่ยังดี ราคาปิดที่ 875.28 ดอลลาร์สหรัฐ ยืนเหนือเส้นค่าเฉลี่ยทุกเส้น',
    ]);
  });
});

describe('extractSummarySections', () => {
  const en = [
    '## 📖 The story',
    '',
    '> **Demo data:** synthetic prices.',
    '',
    'NVIDIA closed at 875.28 USD. It trades near its high. Volatility is high. Extra sentence.',
    '',
    '## 💡 What you need to know',
    '',
    'RSI is at **69.8**. MACD is positive.',
    '',
    '## 🎯 What to do now',
    '',
    'Our call is **BUY**.',
    '',
    '## ⚠️ What to watch',
    '',
    'Watch the average near 660.66 USD.',
    '',
    '_This is for education only and is not investment advice. Investing involves risk; do your own research before you invest._',
    '',
  ].join('\n');

  it('takes the first sentences of know / story / watch, skipping the demo note, emphasis and the disclaimer', () => {
    expect(extractSummarySections(en, 'en')).toEqual({
      key_takeaways: ['RSI is at 69.8.', 'MACD is positive.'],
      price_drivers: ['NVIDIA closed at 875.28 USD.', 'It trades near its high.', 'Volatility is high.'],
      risks_to_watch: ['Watch the average near 660.66 USD.'],
    });
  });

  it('falls back to section order when the headings are not the contract ones', () => {
    const md = '## A\n\nStory one. Story two.\n\n## B\n\nKnow one.\n\n## C\n\nAct.\n\n## D\n\nWatch one.\n';
    expect(extractSummarySections(md, 'en')).toEqual({ key_takeaways: ['Know one.'], price_drivers: ['Story one.', 'Story two.'], risks_to_watch: ['Watch one.'] });
  });

  it('returns empty lists for text without sections', () => {
    expect(extractSummarySections('just text', 'th')).toEqual({ key_takeaways: [], price_drivers: [], risks_to_watch: [] });
  });
});
