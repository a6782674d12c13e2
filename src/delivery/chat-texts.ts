import type { Confidence, Language, Recommendation, Stance } from '../report/narrative-contract.js';

/**
 * Every word the chat bots and cards say, in both languages. Numbers are never written here: they are formatted
 * by code (`formatFact`) and passed in, as the narrative's are.
 */
export interface ChatTexts {
  recommendation: Record<Recommendation, string>;
  stance: Record<Stance, string>;
  confidence: Record<Confidence, string>;
  scores: Record<'trend' | 'momentum' | 'volatility_risk', string>;
  openReport: string;
  demo: string;
  asOf: (date: string) => string;
  confidenceLine: (stance: string, confidence: string) => string;
  unknownSymbol: (input: string, suggestions: string[]) => string;
  noReportYet: (symbol: string) => string;
  symbolTooLong: string;
  needSymbols: (command: string) => string;
  followed: (added: string[], all: string[]) => string;
  unfollowed: (removed: string[], all: string[]) => string;
  notFollowing: (symbols: string[]) => string;
  list: (symbols: string[]) => string;
  emptyList: string;
  tooMany: (max: number) => string;
  languageSet: string;
  languageUsage: string;
  briefUnavailable: string;
  notUnderstood: (text: string) => string;
  help: string;
  greeting: string;
  slowDown: string;
  digestTitle: (date: string) => string;
  digestPart: (part: number, of: number) => string;
  unavailable: string;
  watchlistsUnavailable: string;
  noReportToday: (symbols: string[]) => string;
}

const quote = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);

export const CHAT_TEXTS: Record<Language, ChatTexts> = {
  th: {
    recommendation: { BUY: 'ซื้อ', HOLD: 'ถือ', SELL: 'ขาย' },
    stance: { bullish: 'ขาขึ้น', bearish: 'ขาลง', neutral: 'ทรงตัว' },
    confidence: { high: 'สูง', medium: 'ปานกลาง', low: 'ต่ำ' },
    scores: { trend: 'แนวโน้ม', momentum: 'โมเมนตัม', volatility_risk: 'ความเสี่ยง' },
    openReport: 'เปิดรายงานฉบับเต็ม',
    demo: 'ข้อมูลสาธิต ไม่ใช่ราคาจริง',
    asOf: (date) => `ข้อมูล ณ ${date}`,
    confidenceLine: (stance, confidence) => `มุมมอง${stance} · ความมั่นใจ${confidence}`,
    unknownSymbol: (input, suggestions) =>
      suggestions.length > 0
        ? `ไม่พบหุ้น "${quote(input)}" หมายถึง ${suggestions.join(', ')} หรือไม่?`
        : `ไม่พบหุ้น "${quote(input)}" ในรายชื่อ พิมพ์ "ช่วยเหลือ" เพื่อดูวิธีใช้`,
    noReportYet: (symbol) => `${symbol} ยังไม่มีรายงานของวันนี้ ลองใหม่หลังรอบคำนวณประจำวัน`,
    symbolTooLong: 'ชื่อหุ้นยาวเกินไป ลองพิมพ์เช่น NVDA หรือ NVDA19',
    needSymbols: (command) => `พิมพ์ชื่อหุ้นต่อท้ายด้วย เช่น "${command} NVDA AAPL"`,
    followed: (added, all) =>
      `${added.length > 0 ? `ติดตาม ${added.join(', ')} แล้ว` : 'ติดตามอยู่แล้ว'}\nรายการของคุณ: ${all.join(', ')}\nสรุปจะส่งทุกเช้าหลังรอบคำนวณ`,
    unfollowed: (removed, all) =>
      `เลิกติดตาม ${removed.join(', ')} แล้ว\n${all.length > 0 ? `รายการของคุณ: ${all.join(', ')}` : 'ไม่มีหุ้นในรายการแล้ว'}`,
    notFollowing: (symbols) => `คุณไม่ได้ติดตาม ${symbols.join(', ')}`,
    list: (symbols) => `หุ้นที่คุณติดตาม (${symbols.length}): ${symbols.join(', ')}`,
    emptyList: 'ยังไม่ได้ติดตามหุ้นใด พิมพ์ "ติดตาม NVDA" เพื่อเริ่ม',
    tooMany: (max) => `ติดตามได้ไม่เกิน ${max} ตัว`,
    languageSet: 'ตั้งค่าภาษาไทยแล้ว',
    languageUsage: 'พิมพ์ "lang th" หรือ "lang en"',
    briefUnavailable: 'ยังไม่มีสรุปตลาดของวันนี้',
    notUnderstood: (text) => `ไม่เข้าใจ "${quote(text)}" พิมพ์ชื่อหุ้น เช่น NVDA หรือพิมพ์ "ช่วยเหลือ"`,
    help: [
      'พิมพ์ได้ดังนี้',
      '• ชื่อหุ้น เช่น NVDA, NVDA19 หรือ "รายงาน NVDA" — การ์ดรายงานล่าสุด',
      '• ติดตาม NVDA AAPL — เพิ่มในรายการ รับสรุปทุกเช้า',
      '• เลิกติดตาม NVDA — เอาออกจากรายการ',
      '• รายการ — หุ้นที่ติดตาม',
      '• สรุปตลาด — ภาพรวมตลาดเมื่อคืน',
      '• lang en — เปลี่ยนเป็นภาษาอังกฤษ',
      '• ช่วยเหลือ — ข้อความนี้',
    ].join('\n'),
    greeting: 'สวัสดีครับ นี่คือ Daybreak รายงานวิเคราะห์หุ้น DR ทุกเช้าก่อนตลาดเปิด',
    slowDown: 'ส่งข้อความถี่เกินไป กรุณารอสักครู่',
    digestTitle: (date) => `สรุปเช้า Daybreak · ${date}`,
    digestPart: (part, of) => `(ตอนที่ ${part}/${of})`,
    unavailable: 'ระบบขัดข้องชั่วคราว ลองใหม่อีกครั้ง',
    watchlistsUnavailable: 'ระบบนี้ยังไม่เปิดให้ติดตามหุ้น',
    noReportToday: (symbols) => `วันนี้ยังไม่มีรายงานของ ${symbols.join(', ')}`,
  },
  en: {
    recommendation: { BUY: 'BUY', HOLD: 'HOLD', SELL: 'SELL' },
    stance: { bullish: 'bullish', bearish: 'bearish', neutral: 'neutral' },
    confidence: { high: 'high', medium: 'medium', low: 'low' },
    scores: { trend: 'Trend', momentum: 'Momentum', volatility_risk: 'Risk' },
    openReport: 'Open the full report',
    demo: 'Demo data, not real prices',
    asOf: (date) => `Data as of ${date}`,
    confidenceLine: (stance, confidence) => `${stance} · ${confidence} confidence`,
    unknownSymbol: (input, suggestions) =>
      suggestions.length > 0
        ? `No ticker "${quote(input)}". Did you mean ${suggestions.join(', ')}?`
        : `No ticker "${quote(input)}" in the list. Send "help" to see what I understand.`,
    noReportYet: (symbol) => `${symbol} has no report yet; try again after the daily run.`,
    symbolTooLong: 'That symbol is too long; try NVDA or NVDA19.',
    needSymbols: (command) => `Add the symbols after it, e.g. "${command} NVDA AAPL".`,
    followed: (added, all) =>
      `${added.length > 0 ? `Following ${added.join(', ')}.` : 'Already following those.'}\nYour list: ${all.join(', ')}\nThe digest arrives every morning after the run.`,
    unfollowed: (removed, all) => `Stopped following ${removed.join(', ')}.\n${all.length > 0 ? `Your list: ${all.join(', ')}` : 'Your list is empty.'}`,
    notFollowing: (symbols) => `You do not follow ${symbols.join(', ')}.`,
    list: (symbols) => `You follow (${symbols.length}): ${symbols.join(', ')}`,
    emptyList: 'You follow nothing yet. Send "follow NVDA" to start.',
    tooMany: (max) => `You can follow at most ${max} tickers.`,
    languageSet: 'Language set to English.',
    languageUsage: 'Send "lang th" or "lang en".',
    briefUnavailable: 'There is no market brief for today yet.',
    notUnderstood: (text) => `I did not understand "${quote(text)}". Send a symbol such as NVDA, or "help".`,
    help: [
      'You can send:',
      '• a symbol such as NVDA or NVDA19, or "report NVDA" — the latest report card',
      '• follow NVDA AAPL — add to your list and get the morning digest',
      '• unfollow NVDA — remove from your list',
      '• list — what you follow',
      '• brief — the overnight market brief',
      '• lang th — switch to Thai',
      '• help — this message',
    ].join('\n'),
    greeting: 'Hello, this is Daybreak: an analysis of every Thai DR each morning before the market opens.',
    slowDown: 'Too many messages; please wait a moment.',
    digestTitle: (date) => `Daybreak morning digest · ${date}`,
    digestPart: (part, of) => `(part ${part}/${of})`,
    unavailable: 'Something went wrong on our side; please try again.',
    watchlistsUnavailable: 'Following tickers is not available on this server.',
    noReportToday: (symbols) => `No report today for ${symbols.join(', ')}.`,
  },
};
