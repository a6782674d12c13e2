/**
 * A decision's reasons in the report's language: the core says them in English (`StanceDecision.reasons`, which the
 * LLM prompt also reads); a Thai report says the same reasons from `reason_keys` in Thai, so the page's "why" line
 * is not English under a Thai narrative. No numbers: the reasons name states, never values.
 */
import type { Language } from '../report/narrative-contract.js';
import type { DirectionalState, StanceCaveat, StanceDecision, StanceReason } from '../report/semantic-states.js';

const STATE_TH: Record<DirectionalState, Record<string, string>> = {
  trend: {
    strong_up: 'ราคาอยู่เหนือเส้นค่าเฉลี่ยระยะสั้น กลาง และยาว ซึ่งเรียงตัวเป็นขาขึ้น',
    up: 'แนวโน้มเป็นขาขึ้น ราคายืนเหนือเส้นค่าเฉลี่ยเคลื่อนที่ส่วนใหญ่',
    sideways: 'ราคาเคลื่อนไหวออกข้างรอบเส้นค่าเฉลี่ยเคลื่อนที่',
    down: 'แนวโน้มเป็นขาลง ราคาอยู่ใต้เส้นค่าเฉลี่ยเคลื่อนที่ส่วนใหญ่',
    strong_down: 'ราคาอยู่ใต้เส้นค่าเฉลี่ยระยะสั้น กลาง และยาว ซึ่งเรียงตัวเป็นขาลง',
  },
  macd_momentum: {
    strengthening_bullish: 'MACD เป็นบวกและยังถ่างออกจากเส้นสัญญาณ',
    bullish: 'MACD เป็นบวก',
    weakening: 'โมเมนตัมของ MACD เริ่มอ่อนแรงสวนทิศทางเดิม',
    bearish: 'MACD เป็นลบ',
    strengthening_bearish: 'MACD เป็นลบและยังถ่างลงจากเส้นสัญญาณ',
  },
  rsi_zone: {
    oversold: 'RSI อยู่ในเขตขายมากเกินไป',
    approaching_oversold: 'RSI อ่อนตัวใกล้เขตขายมากเกินไป',
    neutral: 'RSI อยู่ในระดับกลาง',
    approaching_overbought: 'RSI แสดงแรงซื้อที่หนักแน่น',
    overbought: 'RSI อยู่ในเขตซื้อมากเกินไป',
  },
  range_position: {
    near_low: 'ราคาอยู่ใกล้จุดต่ำสุดในรอบหนึ่งปี',
    lower_half: 'ราคาอยู่ในครึ่งล่างของกรอบราคาหนึ่งปี',
    upper_half: 'ราคาอยู่ในครึ่งบนของกรอบราคาหนึ่งปี',
    near_high: 'ราคาอยู่ใกล้จุดสูงสุดในรอบหนึ่งปี',
  },
  news_tone: {
    positive: 'ข่าวช่วงนี้ส่วนใหญ่เป็นบวก',
    neutral: 'ข่าวช่วงนี้ส่วนใหญ่เป็นกลาง',
    mixed: 'ข่าวช่วงนี้มีทั้งบวกและลบ',
    negative: 'ข่าวช่วงนี้ส่วนใหญ่เป็นลบ',
  },
  peer_relative: {
    outperforming: 'ราคาทำได้ดีกว่าหุ้นกลุ่มเดียวกันในเดือนที่ผ่านมา',
    in_line: 'ราคาเคลื่อนไหวใกล้เคียงกับหุ้นกลุ่มเดียวกันในเดือนที่ผ่านมา',
    underperforming: 'ราคาทำได้แย่กว่าหุ้นกลุ่มเดียวกันในเดือนที่ผ่านมา',
  },
};

const CAVEAT_TH: Record<StanceCaveat, string> = {
  overbought: 'RSI อยู่ในเขตซื้อมากเกินไป การไล่ซื้อตอนนี้เสี่ยงซื้อที่ยอดของรอบขึ้นระยะสั้น',
  oversold: 'RSI อยู่ในเขตขายมากเกินไป การขายตอนนี้เสี่ยงขายก่อนราคาจะเด้งกลับ',
  low_confidence: 'สัญญาณยังขัดกันหรือข้อมูลไม่ครบ น้ำหนักยังไม่มากพอที่จะลงมือ',
  extreme_volatility: 'ความผันผวนสูงมาก ขนาดของการลงทุนจึงสำคัญกว่าปกติ',
  high_volatility: 'ความผันผวนสูง ราคาอาจแกว่งแรงในแต่ละวัน',
};

const SIDE_TH = { plus: 'ด้านบวก', minus: 'ด้านลบ' } as const;

function thaiReason(r: StanceReason): string {
  if (r.kind === 'caveat') return CAVEAT_TH[r.caveat];
  const text = STATE_TH[r.state][r.value]!;
  return r.side ? `${SIDE_TH[r.side]} ${text}` : text;
}

export function stanceReasons(decision: Pick<StanceDecision, 'reasons' | 'reason_keys'>, language: Language): string[] {
  return language === 'th' ? decision.reason_keys.map(thaiReason) : decision.reasons;
}
