/**
 * Thai phrasebook of the template writer. Plain analyst Thai for retail investors: clauses separated by spaces, no
 * digits anywhere (indicator periods are named in words: short / medium / long-term averages), every number a
 * placeholder. Each slot has several phrasings; the writer picks one per ticker.
 */
import type { StanceDriver } from '../report/semantic-states.js';
import { CURRENCY_TH } from '../report/facts.js';
import { ph, type Candidate, type LevelKey, type WriterContext } from './template-kit.js';

const REC: Record<string, string> = { BUY: 'ซื้อ', HOLD: 'ถือ', SELL: 'ขาย' };
const CONF: Record<string, string> = { high: 'สูง', medium: 'ปานกลาง', low: 'ต่ำ' };

const LEVEL: Record<LevelKey, string> = {
  SMA_20: 'เส้นค่าเฉลี่ยระยะสั้น',
  SMA_50: 'เส้นค่าเฉลี่ยระยะกลาง',
  SMA_200: 'เส้นค่าเฉลี่ยระยะยาว',
  BB_LOWER: 'ขอบล่างของ Bollinger Band',
  BB_UPPER: 'ขอบบนของ Bollinger Band',
  LOW_52W: 'จุดต่ำสุดรอบปี',
  HIGH_52W: 'จุดสูงสุดรอบปี',
};

/** Thai puts a space between Thai and Latin text or numbers, and none between two Thai words. */
function cat(a: string, b: string): string {
  if (!a || !b) return a + b;
  const latin = /[A-Za-z0-9{}()%+\-.]/;
  return latin.test(a[a.length - 1]!) || latin.test(b[0]!) ? `${a} ${b}` : a + b;
}

function driverPhrase(d: StanceDriver, c: WriterContext): string {
  switch (d.state) {
    case 'trend':
      return {
        strong_up: 'ราคาที่ยืนเหนือเส้นค่าเฉลี่ยทุกเส้นซึ่งเรียงตัวเป็นขาขึ้น',
        up: 'แนวโน้มหลักที่ยังเป็นขาขึ้น',
        sideways: 'ราคาที่ยังแกว่งอยู่รอบเส้นค่าเฉลี่ย',
        down: 'แนวโน้มหลักที่ยังเป็นขาลง',
        strong_down: 'ราคาที่อยู่ใต้เส้นค่าเฉลี่ยทุกเส้นซึ่งเรียงตัวเป็นขาลง',
      }[d.value]!;
    case 'macd_momentum':
      if (d.value === 'weakening') return c.macdPositive ? 'MACD ที่เริ่มแผ่วลง' : 'MACD ที่เริ่มฟื้นตัวจากแดนลบ';
      return {
        strengthening_bullish: 'MACD ที่เป็นบวกพร้อมแรงส่งที่ยังเร่งตัว',
        bullish: 'MACD ที่ยังเป็นบวก',
        bearish: 'MACD ที่ยังติดลบ',
        strengthening_bearish: 'MACD ที่ติดลบและยังดิ่งลงต่อ',
      }[d.value]!;
    case 'rsi_zone':
      return {
        oversold: 'RSI ที่อ่อนแรงจนเข้าเขตขายมากเกินไป',
        approaching_oversold: 'RSI ที่ยังอ่อนแรง',
        neutral: 'RSI ที่อยู่ระดับกลาง',
        approaching_overbought: 'RSI ที่สะท้อนแรงซื้อหนาแน่น',
        overbought: 'RSI ที่สะท้อนแรงซื้อร้อนแรง',
      }[d.value]!;
    case 'range_position':
      return {
        near_low: 'ราคาที่ลงมาใกล้จุดต่ำสุดรอบปี',
        lower_half: 'ราคาที่ยังอยู่ครึ่งล่างของกรอบรอบปี',
        upper_half: 'ราคาที่อยู่ครึ่งบนของกรอบรอบปี',
        near_high: 'ราคาที่ยืนใกล้จุดสูงสุดรอบปี',
      }[d.value]!;
    case 'news_tone':
      return {
        positive: 'กระแสข่าวที่ออกมาเป็นบวก',
        neutral: 'กระแสข่าวที่ยังเป็นกลาง',
        mixed: 'กระแสข่าวที่ยังมีทั้งบวกและลบ',
        negative: 'กระแสข่าวที่ค่อนไปทางลบ',
      }[d.value]!;
    case 'peer_relative':
      return {
        outperforming: 'ผลงานเดือนล่าสุดที่ดีกว่ากลุ่มเปรียบเทียบ',
        in_line: 'ผลงานที่ใกล้เคียงกลุ่มเปรียบเทียบ',
        underperforming: 'ผลงานเดือนล่าสุดที่แย่กว่ากลุ่มเปรียบเทียบ',
      }[d.value]!;
  }
}

function story(c: WriterContext): Candidate[] {
  const N = c.name;
  const out: Candidate[] = [];
  const P = '{PRICE}[[ ({CHANGE_PCT})]]';
  if (c.inputs.dataSource === 'demo') {
    out.push({
      section: 'story',
      slot: 'story.demo',
      priority: 0,
      paragraph: 0,
      variants: [
        '> **ข้อมูลสาธิต (demo):** รายงานฉบับนี้คำนวณจากราคาจำลองที่ระบบสร้างขึ้นเอง ไม่ใช่ราคาซื้อขายจริงในตลาด จึงใช้ได้เพื่อทดลองระบบเท่านั้น',
      ],
    });
  }
  const open: Record<string, string[]> = {
    strong_up: [
      `${N} ปิดที่ ${P} ยืนเหนือเส้นค่าเฉลี่ยทั้งระยะสั้น กลาง และยาว ซึ่งเรียงตัวเป็นขาขึ้นเต็มรูปแบบ`,
      `ภาพใหญ่ของ ${N} ยังเป็นขาขึ้นที่แข็งแรง ราคาปิดที่ ${P} ยืนเหนือเส้นค่าเฉลี่ยทุกเส้นซึ่งเรียงตัวเป็นขั้นบันได`,
      `${N} ยังเดินหน้าในขาขึ้นเต็มตัว ราคาปิดที่ ${P} ห่างจากเส้นค่าเฉลี่ยระยะกลาง {PRICE_VS_SMA_50}`,
    ],
    up: [
      `${N} ปิดที่ ${P} แนวโน้มยังเอียงไปทางขาขึ้น ราคายืนเหนือเส้นค่าเฉลี่ยส่วนใหญ่ได้ แม้จะยังเรียงตัวไม่สมบูรณ์`,
      `${N} ปิดที่ ${P} และยังรักษาแนวโน้มขาขึ้นไว้ได้ โดยห่างจากเส้นค่าเฉลี่ยระยะกลาง {PRICE_VS_SMA_50}`,
      `${N} ยังอยู่บนเส้นทางขาขึ้น ราคาปิดที่ ${P} เหนือเส้นค่าเฉลี่ยสำคัญส่วนใหญ่`,
    ],
    sideways: [
      `${N} ปิดที่ ${P} ราคายังแกว่งอยู่รอบเส้นค่าเฉลี่ย ยังไม่มีฝั่งไหนคุมเกมได้ชัด`,
      `ช่วงนี้ ${N} เคลื่อนไหวแบบไร้ทิศทาง ราคาปิดที่ ${P} โดยเส้นค่าเฉลี่ยแต่ละเส้นยังให้สัญญาณขัดกัน`,
      `ราคาของ ${N} ที่ ${P} ยังอยู่ในช่วงพักตัว เส้นค่าเฉลี่ยยังไม่เรียงตัวไปทางใดทางหนึ่ง`,
    ],
    down: [
      `${N} ปิดที่ ${P} แนวโน้มหลักยังเป็นขาลง ราคาอยู่ใต้เส้นค่าเฉลี่ยส่วนใหญ่และฝั่งซื้อยังไม่มีแรงพอจะพลิกภาพ`,
      `ภาพรวมของ ${N} ยังไม่ฟื้น ราคาปิดที่ ${P} ยังอยู่ใต้เส้นค่าเฉลี่ยสำคัญส่วนใหญ่`,
      `${N} ยังอยู่ในเส้นทางขาลง ราคาปิดที่ ${P} ห่างจากเส้นค่าเฉลี่ยระยะกลาง {PRICE_VS_SMA_50}`,
    ],
    strong_down: [
      `${N} ปิดที่ ${P} อยู่ใต้เส้นค่าเฉลี่ยทั้งระยะสั้น กลาง และยาว ซึ่งเรียงตัวเป็นขาลงเต็มรูปแบบ`,
      `ภาพใหญ่ของ ${N} เป็นขาลงชัดเจน ราคาปิดที่ ${P} อยู่ใต้เส้นค่าเฉลี่ยทุกเส้นซึ่งเรียงตัวเป็นขั้นบันไดลง`,
      `แรงขายยังคุม ${N} ไว้แน่น ราคาปิดที่ ${P} ห่างจากเส้นค่าเฉลี่ยระยะยาว {PRICE_VS_SMA_200}`,
    ],
    unknown: [
      `${N} ปิดที่ ${P} ข้อมูลราคาย้อนหลังยังสั้นเกินกว่าจะอ่านแนวโน้มจากเส้นค่าเฉลี่ยได้ครบ`,
      `ราคาล่าสุดของ ${N} อยู่ที่ ${P} แต่ประวัติราคายังไม่ยาวพอให้เส้นค่าเฉลี่ยบอกแนวโน้มได้ชัด`,
    ],
  };
  out.push({ section: 'story', slot: 'story.open', priority: 0, paragraph: 1, variants: open[c.states.trend]! });

  out.push({
    section: 'story',
    slot: 'story.returns',
    priority: 2,
    paragraph: 1,
    variants: [
      'ย้อนหลังหนึ่งเดือนราคาเปลี่ยนแปลง {RETURN_1M}[[ สามเดือน {RETURN_3M}]][[ และตั้งแต่ต้นปี {RETURN_YTD}]]',
      'ผลตอบแทนรอบหนึ่งเดือนอยู่ที่ {RETURN_1M}[[ รอบสามเดือน {RETURN_3M}]][[ และรอบหนึ่งปี {RETURN_1Y}]]',
      'ในรอบสามเดือนราคาเปลี่ยนแปลง {RETURN_3M}[[ ส่วนเดือนล่าสุดเปลี่ยนแปลง {RETURN_1M}]][[ และตั้งแต่ต้นปี {RETURN_YTD}]]',
    ],
  });

  const range: Record<string, string[]> = {
    near_high: [
      'ตอนนี้ราคาอยู่ใกล้จุดสูงสุดรอบปีที่ {HIGH_52W} ห่างลงมาเพียง {FROM_HIGH_52W_PCT}',
      'ราคาขึ้นมายืนใกล้จุดสูงสุดรอบปีที่ {HIGH_52W} ซึ่งเป็นด่านสำคัญถัดไป',
    ],
    upper_half: [
      'ในกรอบราคารอบปีระหว่าง {LOW_52W} ถึง {HIGH_52W} ราคาตอนนี้อยู่ค่อนไปทางด้านบน ต่ำกว่าจุดสูงสุด {FROM_HIGH_52W_PCT}',
      'ราคายังอยู่ในครึ่งบนของกรอบรอบปี โดยต่ำกว่าจุดสูงสุดที่ {HIGH_52W} อยู่ {FROM_HIGH_52W_PCT}',
    ],
    lower_half: [
      'ในกรอบราคารอบปีระหว่าง {LOW_52W} ถึง {HIGH_52W} ราคายังอยู่ครึ่งล่าง ต่ำกว่าจุดสูงสุด {FROM_HIGH_52W_PCT}',
      'ราคายังอยู่ในครึ่งล่างของกรอบรอบปี สูงกว่าจุดต่ำสุดที่ {LOW_52W} อยู่ {FROM_LOW_52W_PCT}',
    ],
    near_low: [
      'ราคาลงมาใกล้จุดต่ำสุดรอบปีที่ {LOW_52W} สูงกว่าจุดนั้นเพียง {FROM_LOW_52W_PCT}',
      'ตอนนี้ราคาเข้าใกล้จุดต่ำสุดรอบปีที่ {LOW_52W} และห่างจากจุดสูงสุดที่ {HIGH_52W} ถึง {FROM_HIGH_52W_PCT}',
    ],
  };
  if (range[c.states.range_position]) {
    const edge = c.states.range_position === 'near_high' || c.states.range_position === 'near_low';
    out.push({ section: 'story', slot: 'story.range', priority: edge ? 1 : 3, paragraph: 1, variants: range[c.states.range_position]! });
  }

  const vol: Record<string, string[]> = {
    low: ['ความผันผวนช่วงนี้ต่ำ ราคาแกว่งเฉลี่ยวันละราว {ATR_PCT} ของราคา', 'ช่วงนี้ราคาเคลื่อนไหวค่อนข้างนิ่ง ช่วงแกว่งเฉลี่ยต่อวันอยู่ราว {ATR_PCT}'],
    normal: ['ความผันผวนอยู่ในระดับปกติ ช่วงแกว่งเฉลี่ยต่อวันราว {ATR_PCT} ของราคา', 'ด้านความผันผวนยังปกติ ราคาแกว่งเฉลี่ยวันละราว {ATR_PCT}'],
    high: [
      'ความผันผวนสูงกว่าปกติ ราคาแกว่งเฉลี่ยวันละราว {ATR_PCT} และความผันผวนรายปีจากช่วงหลังอยู่ที่ {VOLATILITY_30D}',
      'ช่วงนี้ราคาเหวี่ยงแรงกว่าปกติ ช่วงแกว่งเฉลี่ยต่อวันราว {ATR_PCT} ของราคา',
    ],
    extreme: [
      'ความผันผวนอยู่ในระดับสูงมาก ราคาแกว่งเฉลี่ยวันละราว {ATR_PCT} และความผันผวนรายปีพุ่งไปที่ {VOLATILITY_30D}',
      'ราคาเหวี่ยงแรงเป็นพิเศษ ช่วงแกว่งเฉลี่ยต่อวันสูงถึง {ATR_PCT} ของราคา',
    ],
  };
  if (vol[c.states.volatility_regime]) {
    const loud = c.states.volatility_regime === 'high' || c.states.volatility_regime === 'extreme';
    out.push({ section: 'story', slot: 'story.vol', priority: loud ? 1 : 3, paragraph: 1, variants: vol[c.states.volatility_regime]! });
  }
  return out;
}

function know(c: WriterContext): Candidate[] {
  const out: Candidate[] = [];
  const subj = c.isEtf ? 'กองทุนนี้' : 'หุ้นตัวนี้';
  const rsi: Record<string, string[]> = {
    oversold: [
      'ค่า RSI อยู่ที่ {RSI} เข้าเขตขายมากเกินไป (oversold) แล้ว ราคามีโอกาสเด้งกลับ แต่ยังไม่ใช่สัญญาณกลับตัวที่ยืนยันได้',
      'ค่า RSI ร่วงลงมาที่ {RSI} ในเขตขายมากเกินไป (oversold) ราคาถูกเทขายจนตึงตัว ซึ่งมักตามมาด้วยการรีบาวด์ระยะสั้น',
    ],
    approaching_oversold: ['ค่า RSI อยู่ที่ {RSI} ใกล้เขตขายมากเกินไป สะท้อนว่าฝั่งซื้อยังอ่อนแรง', 'ด้านโมเมนตัม ค่า RSI ที่ {RSI} บอกว่าแรงส่งยังอ่อนและเริ่มเข้าใกล้เขตขายมากเกินไป'],
    neutral: ['ค่า RSI อยู่ที่ {RSI} เป็นระดับกลาง ๆ ไม่ร้อนแรงและไม่อ่อนแรงเกินไป', 'ด้านโมเมนตัม ค่า RSI ที่ {RSI} อยู่ในโซนกลาง ยังไม่มีแรงซื้อหรือแรงขายที่ผิดปกติ'],
    approaching_overbought: [
      'ค่า RSI อยู่ที่ {RSI} สะท้อนแรงซื้อที่ยังดีและเริ่มเข้าใกล้เขตซื้อมากเกินไป',
      'ค่า RSI ขึ้นมาที่ {RSI} แรงซื้อยังหนุนอยู่ แต่ก็ใกล้เขตซื้อมากเกินไปเข้ามาทุกที',
    ],
    overbought: [
      'ค่า RSI ขึ้นไปถึง {RSI} ในเขตซื้อมากเกินไป (overbought) ราคาวิ่งเร็วจนมีโอกาสพักฐานในระยะสั้น',
      'ค่า RSI อยู่ที่ {RSI} ในเขตซื้อมากเกินไป (overbought) แรงซื้อร้อนแรง แต่ช่วงแบบนี้ราคามักชะลอหรือย่อตัว',
    ],
  };
  if (rsi[c.states.rsi_zone]) out.push({ section: 'know', slot: 'know.rsi', priority: 0, variants: rsi[c.states.rsi_zone]! });

  const p = c.facts.RSI_PERCENTILE?.value;
  const period = c.yearLookback ? 'ในรอบปีที่ผ่านมา' : 'ในข้อมูลย้อนหลัง';
  if (p !== undefined && p >= 80) {
    out.push({ section: 'know', slot: 'know.rsi_pct', priority: 4, variants: [`ระดับนี้สูงกว่าค่า RSI ราว {RSI_PERCENTILE} ของวัน${period}`] });
  } else if (p !== undefined && p <= 20) {
    out.push({ section: 'know', slot: 'know.rsi_pct', priority: 4, variants: [`${period}มีเพียงราว {RSI_PERCENTILE} ของวันที่ RSI ต่ำเท่านี้หรือต่ำกว่า`] });
  }

  const macd: Record<string, string[]> = {
    strengthening_bullish: [
      'ส่วน MACD อยู่เหนือศูนย์และยืนเหนือเส้นสัญญาณ แปลว่าแรงส่งขาขึ้นยังเร่งตัว',
      'แรงส่งยังเร่งขึ้น โดย MACD เป็นบวกและทิ้งห่างเส้นสัญญาณออกไปเรื่อย ๆ',
    ],
    bullish: [
      'ส่วน MACD ยังเป็นบวกและเกาะอยู่ใกล้เส้นสัญญาณ แรงส่งขาขึ้นยังอยู่แต่ไม่ได้เร่งตัว',
      'เส้น MACD ยังยืนเหนือศูนย์ใกล้ ๆ เส้นสัญญาณ แรงส่งจึงทรงตัวมากกว่าเร่งขึ้น',
    ],
    weakening: c.macdPositive
      ? [
          'ส่วน MACD ยังเป็นบวกแต่หลุดลงมาใต้เส้นสัญญาณแล้ว เป็นสัญญาณแรกว่าแรงส่งขาขึ้นเริ่มแผ่ว',
          'แม้ MACD จะยังอยู่เหนือศูนย์ แต่ได้ลงมาอยู่ใต้เส้นสัญญาณแล้ว แรงส่งขาขึ้นจึงเริ่มอ่อนลง',
        ]
      : [
          'ส่วน MACD ยังติดลบแต่ขึ้นมาอยู่เหนือเส้นสัญญาณแล้ว บอกว่าแรงขายเริ่มผ่อนลง',
          'แม้ MACD จะยังต่ำกว่าศูนย์ แต่ได้ขึ้นมายืนเหนือเส้นสัญญาณ แรงกดดันด้านขายจึงเริ่มคลายตัว',
        ],
    bearish: ['ส่วน MACD ยังติดลบและอยู่ใกล้เส้นสัญญาณ แรงกดดันด้านลบยังไม่หายไป', 'เส้น MACD ยังอยู่ใต้ศูนย์ใกล้ ๆ เส้นสัญญาณ แรงกดดันยังเป็นของฝั่งขาย'],
    strengthening_bearish: [
      'ส่วน MACD ติดลบและยังอยู่ใต้เส้นสัญญาณ แรงส่งขาลงจึงยังไม่มีทีท่าว่าจะอ่อนลง',
      'แรงส่งขาลงยังแรงต่อเนื่อง โดย MACD อยู่ใต้ศูนย์และห่างลงจากเส้นสัญญาณไปเรื่อย ๆ',
    ],
  };
  if (macd[c.states.macd_momentum]) out.push({ section: 'know', slot: 'know.macd', priority: 0, variants: macd[c.states.macd_momentum]! });

  const vr = 'ของค่าเฉลี่ยรอบเดือน';
  const volume: Record<string, string[]> = {
    very_low: [`ปริมาณการซื้อขายวันล่าสุดเบาบางมาก เพียง {VOLUME_RATIO}${vr}`, `วอลุ่มวันล่าสุดแห้งมาก อยู่ที่ {VOLUME_RATIO}${vr}เท่านั้น`],
    low: [`ปริมาณการซื้อขายค่อนข้างเบา อยู่ที่ {VOLUME_RATIO}${vr} การขยับของราคาจึงยังขาดแรงยืนยัน`, `วอลุ่มยังบางตาที่ {VOLUME_RATIO}${vr}`],
    normal: [`ปริมาณการซื้อขายอยู่ในระดับปกติที่ {VOLUME_RATIO}${vr}`, `วอลุ่มวันล่าสุดใกล้เคียงค่าเฉลี่ยรอบเดือน ({VOLUME_RATIO})`],
    high:
      c.day === 'up'
        ? [`ปริมาณการซื้อขายสูงกว่าปกติที่ {VOLUME_RATIO}${vr} และมาพร้อมวันที่ราคาบวก จึงช่วยยืนยันแรงซื้อ`]
        : c.day === 'down'
          ? [`ปริมาณการซื้อขายสูงกว่าปกติที่ {VOLUME_RATIO}${vr} ในวันที่ราคาปรับลง แรงขายจึงมีน้ำหนัก`]
          : [`ปริมาณการซื้อขายสูงกว่าปกติที่ {VOLUME_RATIO}${vr} ตลาดให้ความสนใจ${subj}มากขึ้น`],
    surge:
      c.day === 'up'
        ? [`วอลุ่มพุ่งขึ้นเป็น {VOLUME_RATIO}${vr}ในวันที่ราคาบวก เป็นสัญญาณว่ามีแรงซื้อก้อนใหญ่เข้ามา`]
        : c.day === 'down'
          ? [`วอลุ่มพุ่งขึ้นเป็น {VOLUME_RATIO}${vr}ในวันที่ราคาลง สะท้อนแรงขายที่หนักผิดปกติ`]
          : [`วอลุ่มพุ่งขึ้นเป็น {VOLUME_RATIO}${vr} ตลาดให้ความสนใจ${subj}มากผิดปกติ`],
  };
  if (volume[c.states.volume]) {
    const loud = c.states.volume === 'surge' || c.states.volume === 'very_low';
    out.push({ section: 'know', slot: 'know.volume', priority: loud ? 1 : 3, variants: volume[c.states.volume]! });
  }

  const news = c.inputs.news;
  const tone: Record<string, string[]> = {
    positive: [
      'ด้านข่าวสาร จาก {NEWS_COUNT} ข่าวล่าสุดมีข่าวเชิงบวก {NEWS_POSITIVE_PCT} และเชิงลบ {NEWS_NEGATIVE_PCT} โทนข่าวโดยรวมจึงช่วยหนุนบรรยากาศ',
      'กระแสข่าวค่อนไปทางบวก จากข่าวล่าสุด {NEWS_COUNT} ชิ้นเป็นข่าวดี {NEWS_POSITIVE_PCT} ส่วนข่าวร้ายมีเพียง {NEWS_NEGATIVE_PCT}',
    ],
    negative: [
      'ด้านข่าวสาร จาก {NEWS_COUNT} ข่าวล่าสุดมีข่าวเชิงลบถึง {NEWS_NEGATIVE_PCT} เทียบกับเชิงบวก {NEWS_POSITIVE_PCT} บรรยากาศข่าวจึงเป็นแรงกดดัน',
      'กระแสข่าวค่อนไปทางลบ ข่าวล่าสุด {NEWS_COUNT} ชิ้นเป็นข่าวร้าย {NEWS_NEGATIVE_PCT} ขณะที่ข่าวดีมีเพียง {NEWS_POSITIVE_PCT}',
    ],
    mixed: [
      'ข่าวช่วงนี้ออกมาทั้งบวกและลบ จาก {NEWS_COUNT} ข่าวล่าสุดเป็นบวก {NEWS_POSITIVE_PCT} และเป็นลบ {NEWS_NEGATIVE_PCT} ตลาดจึงยังไม่มีข้อสรุปร่วมกัน',
      'กระแสข่าวยังแบ่งเป็นสองฝั่ง ข่าวล่าสุด {NEWS_COUNT} ชิ้นเป็นบวก {NEWS_POSITIVE_PCT} และเป็นลบ {NEWS_NEGATIVE_PCT}',
    ],
    neutral: [
      'ข่าวล่าสุด {NEWS_COUNT} ชิ้นส่วนใหญ่เป็นข่าวทั่วไปที่ไม่ได้ชี้ทิศทาง โดยเป็นบวก {NEWS_POSITIVE_PCT} และเป็นลบ {NEWS_NEGATIVE_PCT}',
      'โทนข่าวค่อนข้างเป็นกลาง จาก {NEWS_COUNT} ข่าวล่าสุดมีทั้งข่าวบวก {NEWS_POSITIVE_PCT} และข่าวลบ {NEWS_NEGATIVE_PCT} ในสัดส่วนที่ไม่ต่างกันมาก',
    ],
  };
  if (tone[c.states.news_tone]) {
    out.push({ section: 'know', slot: 'know.news', priority: 0, paragraph: 1, variants: tone[c.states.news_tone]! });
  } else if (news === null) {
    out.push({ section: 'know', slot: 'know.news', priority: 1, paragraph: 1, variants: ['รอบนี้ยังไม่มีข้อมูลข่าว บทวิเคราะห์จึงอิงสัญญาณจากราคาเป็นหลัก'] });
  } else if (c.facts.NEWS_COUNT) {
    out.push({ section: 'know', slot: 'know.news', priority: 1, paragraph: 1, variants: ['มีข่าวล่าสุด {NEWS_COUNT} ชิ้น แต่ยังไม่ได้ประเมินโทนข่าวโดยรวม บทวิเคราะห์จึงอิงสัญญาณจากราคาเป็นหลัก'] });
  } else {
    out.push({ section: 'know', slot: 'know.news', priority: 1, paragraph: 1, variants: ['ช่วงนี้ยังไม่มีข่าวใหม่ที่มีนัยสำคัญ บทวิเคราะห์จึงอิงสัญญาณจากราคาเป็นหลัก'] });
  }

  const group = 'กลุ่มเปรียบเทียบ {PEER_COUNT} ตัวที่ราคาเคลื่อนไหวสอดคล้องกัน';
  const peers: Record<string, string[]> = {
    outperforming: [
      `เมื่อเทียบกับ${group} ผลตอบแทนหนึ่งเดือนของ${subj}ดีกว่าค่ากลางของกลุ่ม ({RETURN_VS_PEERS})`,
      `${subj}ทำผลงานเดือนล่าสุดได้ดีกว่ากลุ่มเปรียบเทียบ โดยนำค่ากลางของกลุ่มอยู่ {RETURN_VS_PEERS}`,
    ],
    in_line: [
      `เมื่อเทียบกับ${group} ผลตอบแทนหนึ่งเดือนของ${subj}ใกล้เคียงค่ากลางของกลุ่ม ({RETURN_VS_PEERS})`,
      `ผลงานเดือนล่าสุดของ${subj}ไปในทางเดียวกับกลุ่มเปรียบเทียบ ห่างจากค่ากลางของกลุ่มเพียง {RETURN_VS_PEERS}`,
    ],
    underperforming: [
      `เมื่อเทียบกับ${group} ผลตอบแทนหนึ่งเดือนของ${subj}ตามหลังค่ากลางของกลุ่ม ({RETURN_VS_PEERS})`,
      `${subj}ทำผลงานเดือนล่าสุดได้แย่กว่ากลุ่มเปรียบเทียบ โดยห่างจากค่ากลางของกลุ่ม {RETURN_VS_PEERS}`,
    ],
  };
  if (peers[c.states.peer_relative]) {
    out.push({ section: 'know', slot: 'know.peers', priority: c.states.peer_relative === 'in_line' ? 3 : 1, paragraph: 1, variants: peers[c.states.peer_relative]! });
  }
  if (c.topPeer) {
    const peer = c.topPeer.name;
    out.push({
      section: 'know',
      slot: 'know.top_peer',
      priority: 5,
      paragraph: 1,
      variants: [`ตัวที่วิ่งไปในทิศทางเดียวกันมากที่สุดคือ ${peer} (ค่าสหสัมพันธ์ {TOP_PEER_CORRELATION})`, `${subj}เคลื่อนไหวใกล้เคียงกับ ${peer} มากที่สุด ด้วยค่าสหสัมพันธ์ {TOP_PEER_CORRELATION}`],
    });
  }
  return out;
}

function action(c: WriterContext): Candidate[] {
  const out: Candidate[] = [];
  const d = c.decision;
  const rec = `**${REC[d.recommendation]} (${d.recommendation})**`;
  const conf = CONF[d.confidence]!;
  const noun = c.isEtf ? 'กองทุนนี้' : 'หุ้นตัวนี้';
  out.push({
    section: 'action',
    slot: 'action.call',
    priority: 0,
    variants: [
      `คำแนะนำวันนี้คือ ${rec} ด้วยความมั่นใจระดับ${conf}`,
      `มุมมองของเราในวันนี้คือ ${rec} โดยมีความมั่นใจระดับ${conf}`,
      `สรุปสำหรับวันนี้ เราให้น้ำหนักไปที่ ${rec} ที่ความมั่นใจระดับ${conf}`,
    ],
  });

  if (d.stance !== 'neutral') {
    const reasons = c.supporting.slice(0, 2).map((x) => driverPhrase(x, c));
    if (reasons.length > 0) {
      const list = reasons[1] ? `${reasons[0]} ${cat('ประกอบกับ', reasons[1])}` : reasons[0]!;
      const both = reasons[1] ? `${reasons[0]} ${cat('และ', reasons[1])}` : reasons[0]!;
      out.push({
        section: 'action',
        slot: 'action.reasons',
        priority: 0,
        variants:
          d.recommendation === 'HOLD'
            ? [cat(`ภาพรวมยังเป็น${d.stance === 'bullish' ? 'บวก' : 'ลบ'} เห็นได้จาก`, list), cat(`สัญญาณส่วนใหญ่ยังเอียงไปทาง${d.stance === 'bullish' ? 'บวก' : 'ลบ'} ทั้ง`, both)]
            : [cat('เหตุผลหลักคือ', list), cat('ที่มองเช่นนี้เพราะ', list), cat('สิ่งที่หนุนมุมมองนี้คือ', list)],
      });
    }
    if (c.opposing) {
      const opp = driverPhrase(c.opposing, c);
      out.push({
        section: 'action',
        slot: 'action.opposing',
        priority: 2,
        variants: [cat('ข้อที่ยังค้านอยู่คือ', opp), `${cat('แต่ต้องยอมรับว่า', opp)} ยังเป็นข้อที่ขัดกับมุมมองนี้`],
      });
    }
  } else {
    const up = d.drivers.filter((x) => x.contribution > 0).sort((a, b) => b.contribution - a.contribution)[0];
    const down = d.drivers.filter((x) => x.contribution < 0).sort((a, b) => a.contribution - b.contribution)[0];
    if (up && down) {
      const a = driverPhrase(up, c);
      const b = driverPhrase(down, c);
      out.push({
        section: 'action',
        slot: 'action.reasons',
        priority: 0,
        variants: [`สัญญาณยังหักล้างกันเอง ${cat('ด้านบวกมี', a)} ${cat('แต่ด้านลบก็มี', b)}`, `${cat('ภาพยังก้ำกึ่ง ฝั่งหนุนคือ', a)} ${cat('ส่วนฝั่งที่ถ่วงคือ', b)}`],
      });
    } else {
      const flat = d.drivers.filter((x) => x.contribution === 0).slice(0, 2).map((x) => driverPhrase(x, c));
      const list = flat.length === 2 ? `${flat[0]} ${cat('และ', flat[1]!)}` : (flat[0] ?? 'สัญญาณส่วนใหญ่');
      out.push({
        section: 'action',
        slot: 'action.reasons',
        priority: 0,
        variants: [cat('สัญญาณส่วนใหญ่ยังเป็นกลาง ทั้ง', list), cat('ยังไม่มีสัญญาณที่ชี้ทางชัด เห็นได้จาก', list)],
      });
    }
  }

  const caveats: string[] = [];
  if (d.caveats.includes('overbought')) {
    caveats.push('ที่ยังไม่แนะนำให้ซื้อเพิ่มเพราะ RSI อยู่ในเขตซื้อมากเกินไป การไล่ราคาตอนนี้เสี่ยงได้ของแพง');
  } else if (d.caveats.includes('oversold')) {
    caveats.push('ที่ยังไม่แนะนำให้ขายเพราะ RSI อยู่ในเขตขายมากเกินไป ราคามักเด้งกลับหลังถูกเทขายหนักเช่นนี้');
  } else if (d.caveats.includes('low_confidence')) {
    caveats.push(
      d.stance === 'bullish'
        ? 'แม้ภาพรวมจะเอียงไปทางบวก แต่สัญญาณยังขัดกันหรือข้อมูลยังไม่ครบ น้ำหนักจึงยังไม่พอให้ลงมือซื้อ'
        : 'แม้ภาพรวมจะเอียงไปทางลบ แต่สัญญาณยังขัดกันหรือข้อมูลยังไม่ครบ น้ำหนักจึงยังไม่พอให้ลงมือขาย',
    );
  }
  if (caveats.length > 0) out.push({ section: 'action', slot: 'action.caveat', priority: 0, variants: caveats });

  const sup = c.support;
  const res = c.resistance;
  const entry = c.entry;
  let plan: string[];
  if (d.recommendation === 'BUY') {
    plan = sup
      ? [
          `ผู้ที่ยังไม่มี${noun}อาจทยอยซื้อสะสม และใช้${LEVEL[sup]}แถว ${ph(sup)} เป็นจุดทบทวนหากราคาหลุดลงไป`,
          `ควรทยอยเข้าซื้อเป็นช่วง ๆ แทนการซื้อครั้งเดียว หากราคาปิดต่ำกว่า${LEVEL[sup]}แถว ${ph(sup)} ค่อยทบทวนใหม่`,
        ]
      : ['ผู้ที่ยังไม่มีอาจทยอยซื้อสะสมแทนการซื้อทีเดียว และกำหนดจุดตัดขาดทุนไว้ล่วงหน้า'];
  } else if (d.recommendation === 'SELL') {
    plan = res
      ? [
          `ผู้ที่ถืออยู่ควรทยอยลดสัดส่วน โดยเฉพาะเมื่อราคาเด้งขึ้นไปใกล้${LEVEL[res]}แถว ${ph(res)} ส่วนผู้ที่ยังไม่มีไม่ควรรีบรับ`,
          `จังหวะลดพอร์ตที่ดีคือช่วงที่ราคาดีดกลับไปแถว${LEVEL[res]}ที่ ${ph(res)} ส่วนการซื้อใหม่ควรรอให้แนวโน้มกลับตัวก่อน`,
        ]
      : ['ผู้ที่ถืออยู่ควรทยอยลดสัดส่วนเมื่อราคาเด้ง ส่วนผู้ที่ยังไม่มีไม่ควรรีบเข้าไปรับ'];
  } else if (d.stance === 'bullish') {
    plan = entry
      ? [
          `ผู้ที่ถืออยู่ถือต่อได้ ส่วนผู้ที่ยังไม่มีควรรอให้ราคาย่อลงมาใกล้${LEVEL[entry]}แถว ${ph(entry)} ก่อนค่อยพิจารณาเข้าซื้อ`,
          `ใครถืออยู่แล้วไม่ต้องรีบขาย ส่วนผู้ที่รอซื้อควรรอให้ราคาย่อลงมาแถว${LEVEL[entry]}ที่ ${ph(entry)}`,
        ]
      : ['ผู้ที่ถืออยู่ถือต่อได้ ส่วนผู้ที่ยังไม่มีควรรอให้ราคาย่อตัวก่อนค่อยพิจารณาเข้าซื้อ'];
  } else if (d.stance === 'bearish') {
    plan = res
      ? [
          `ผู้ที่ถืออยู่อาจรอให้ราคาเด้งกลับไปแถว${LEVEL[res]}ที่ ${ph(res)} ก่อนค่อยพิจารณาลดสัดส่วน ส่วนผู้ที่ยังไม่มีไม่ควรรีบรับของจนกว่าแนวโน้มจะกลับตัว`,
          `แทนที่จะขายตอนนี้ ผู้ที่ถืออยู่อาจใช้จังหวะรีบาวด์ไปแถว${LEVEL[res]}ที่ ${ph(res)} เพื่อลดพอร์ต ส่วนการซื้อใหม่ยังไม่ควรรีบ`,
        ]
      : ['ผู้ที่ถืออยู่อาจรอจังหวะรีบาวด์ก่อนค่อยลดสัดส่วน ส่วนผู้ที่ยังไม่มีไม่ควรรีบรับของจนกว่าแนวโน้มจะกลับตัว'];
  } else {
    plan =
      sup && res
        ? [
            `ผู้ที่ถืออยู่ถือต่อได้ โดยใช้${LEVEL[sup]}แถว ${ph(sup)} เป็นจุดตัดสินใจ ส่วนผู้ที่ยังไม่มีควรรอให้ราคายืนเหนือ${LEVEL[res]}แถว ${ph(res)} ได้ก่อน`,
            `ระหว่างนี้ถือไว้ก่อน แล้วรอดูว่าราคาจะขึ้นผ่าน${LEVEL[res]}แถว ${ph(res)} หรือหลุด${LEVEL[sup]}แถว ${ph(sup)} ทิศทางที่หลุดออกไปจะบอกว่าควรทำอะไรต่อ`,
          ]
        : ['ผู้ที่ถืออยู่ถือต่อได้ ส่วนผู้ที่ยังไม่มีควรรอให้ราคาเลือกทางให้ชัดก่อนค่อยตัดสินใจ'];
  }
  out.push({ section: 'action', slot: 'action.plan', priority: 0, variants: plan });
  return out;
}

function watch(c: WriterContext): Candidate[] {
  const out: Candidate[] = [];
  const s = c.states;
  const subj = c.isEtf ? 'กองทุนนี้' : 'หุ้นตัวนี้';
  const push = (slot: string, priority: number, variants: string[]): void => {
    out.push({ section: 'watch', slot, priority, variants });
  };

  const w = c.watchLevel;
  if ((s.trend === 'strong_up' || s.trend === 'up') && w) {
    push('watch.level', 0, [
      `สัญญาณเตือนแรกคือการหลุด${LEVEL[w]}แถว ${ph(w)} ซึ่งจะทำให้แนวโน้มขาขึ้นเริ่มมีคำถาม`,
      `ตราบใดที่ราคายังยืนเหนือ${LEVEL[w]}แถว ${ph(w)} ภาพขาขึ้นก็ยังไม่เสีย`,
    ]);
  } else if ((s.trend === 'strong_down' || s.trend === 'down') && w) {
    push('watch.level', 0, [
      `ราคาต้องกลับขึ้นไปยืนเหนือ${LEVEL[w]}แถว ${ph(w)} ให้ได้ก่อน ภาพขาลงจึงจะเริ่มเปลี่ยน`,
      `ตราบใดที่ราคายังอยู่ใต้${LEVEL[w]}แถว ${ph(w)} การเด้งขึ้นแต่ละครั้งก็เป็นแค่การรีบาวด์ในขาลง`,
    ]);
  } else {
    push('watch.level', 0, [
      'กรอบที่ต้องดูคือ Bollinger Band ระหว่าง {BB_LOWER} ถึง {BB_UPPER} ราคาหลุดกรอบด้านไหนก่อนมักบอกทิศทางรอบถัดไป',
      'ระยะสั้นให้ดูขอบล่างของ Bollinger Band แถว {BB_LOWER} และขอบบนแถว {BB_UPPER} หากราคาหลุดด้านใด ทิศทางถัดไปจะชัดขึ้น',
    ]);
  }

  // Risks, most pressing first: the first one found is core, the rest fill in while the length allows.
  const risks: { slot: string; variants: string[]; weight: number }[] = [];
  if (s.volatility_regime === 'high' || s.volatility_regime === 'extreme') {
    risks.push({
      slot: 'watch.vol',
      weight: s.volatility_regime === 'extreme' ? 10 : 7,
      variants: [
        'ความผันผวนที่สูงราววันละ {ATR_PCT} ของราคา หมายความว่าราคาอาจแกว่งแรงได้ทั้งสองทาง ควรจำกัดขนาดการลงทุนให้เหมาะกับความเสี่ยงที่รับได้',
        'ด้วยช่วงแกว่งต่อวันราว {ATR_PCT} การวางจุดตัดขาดทุนที่แคบเกินไปอาจโดนสะบัดหลุดได้ง่าย การลดขนาดการลงทุนจึงเหมาะกว่า',
      ],
    });
  }
  if (s.rsi_zone === 'overbought') {
    risks.push({ slot: 'watch.rsi', weight: 9, variants: ['ค่า RSI ที่อยู่ในเขตซื้อมากเกินไปเพิ่มโอกาสที่ราคาจะพักฐานหรือย่อตัวแรงในระยะสั้น', 'ระวังแรงขายทำกำไร เพราะ RSI อยู่ในเขตซื้อมากเกินไปแล้ว'] });
  } else if (s.rsi_zone === 'oversold') {
    risks.push({ slot: 'watch.rsi', weight: 9, variants: ['ค่า RSI ในเขตขายมากเกินไปเปิดโอกาสให้ราคาเด้งแรงได้ทุกเมื่อ การขายตามตลาดตอนนี้จึงต้องระวัง', 'ระวังการรีบาวด์แรงแบบไม่ทันตั้งตัว เพราะ RSI อยู่ในเขตขายมากเกินไปแล้ว'] });
  } else if (s.rsi_zone === 'approaching_overbought') {
    risks.push({ slot: 'watch.rsi', weight: 4, variants: ['ค่า RSI ที่ใกล้เขตซื้อมากเกินไปบอกว่าพื้นที่ให้ราคาวิ่งต่อโดยไม่พักเริ่มแคบลง'] });
  } else if (s.rsi_zone === 'approaching_oversold') {
    risks.push({ slot: 'watch.rsi', weight: 4, variants: ['ค่า RSI ที่ใกล้เขตขายมากเกินไปบอกว่าแรงขายเริ่มตึงตัว แต่ยังไม่ถึงจุดที่มักเห็นการเด้งกลับ'] });
  }
  if (s.range_position === 'near_high') {
    risks.push({ slot: 'watch.range', weight: 8, variants: ['จับตาว่าราคาจะผ่านจุดสูงสุดรอบปีที่ {HIGH_52W} ไปได้หรือไม่ ถ้าผ่านไม่ได้อาจเจอแรงขายทำกำไรกลับมา', 'จุดสูงสุดรอบปีที่ {HIGH_52W} คือแนวต้านสำคัญ การทะลุขึ้นไปได้จะเปิดทางขาขึ้นรอบใหม่ แต่ถ้าไม่ผ่านมักมีแรงขายออกมา'] });
  } else if (s.range_position === 'near_low') {
    risks.push({ slot: 'watch.range', weight: 8, variants: ['หากราคาหลุดลงไปใต้จุดต่ำสุดรอบปีที่ {LOW_52W} อาจเปิดทางให้ลงต่อ เพราะแนวรับถัดไปมองเห็นได้ยากขึ้น', 'จุดต่ำสุดรอบปีที่ {LOW_52W} คือแนวรับสุดท้ายที่ต้องดู ถ้าหลุดไปได้แรงขายอาจเร่งตัวขึ้นอีก'] });
  }
  if (s.news_tone === 'negative') {
    risks.push({ slot: 'watch.news', weight: 8, variants: ['ข่าวเชิงลบที่มีสัดส่วนถึง {NEWS_NEGATIVE_PCT} ยังเป็นแรงกดดัน ต้องติดตามว่ามีประเด็นใหม่ซ้ำเติมหรือไม่'] });
  } else if (s.news_tone === 'mixed') {
    risks.push({ slot: 'watch.news', weight: 5, variants: ['กระแสข่าวที่ยังแบ่งเป็นสองฝั่งทำให้ราคาอาจสวิงตามพาดหัวข่าวได้ง่าย'] });
  } else if (s.news_tone === 'positive') {
    risks.push({ slot: 'watch.news', weight: 2, variants: ['ข่าวดีที่ออกมาอาจสะท้อนในราคาไปมากแล้ว หากข่าวถัดไปไม่ดีเท่าที่ตลาดคาด ราคาก็อาจผิดหวังได้'] });
  } else if (c.inputs.news === null) {
    risks.push({ slot: 'watch.news', weight: 1, variants: ['รอบนี้ไม่มีข้อมูลข่าวประกอบ ข่าวสำคัญที่ออกมาภายหลังอาจเปลี่ยนภาพได้'] });
  }
  if (s.macd_momentum === 'weakening') {
    risks.push({
      slot: 'watch.macd',
      weight: 5,
      variants: c.macdPositive
        ? ['สัญญาณ MACD ที่เริ่มแผ่วเป็นคำเตือนล่วงหน้า หากราคาทำจุดสูงใหม่ไม่ได้ ควรระวังการพักตัวที่ลึกขึ้น']
        : ['สัญญาณ MACD ที่เริ่มฟื้นอาจเป็นเค้าแรกของการกลับตัว แต่ยังต้องรอให้ราคายืนยันก่อน'],
    });
  }
  if (s.peer_relative === 'underperforming') {
    risks.push({ slot: 'watch.peers', weight: 4, variants: ['ผลงานที่ตามหลังกลุ่มเปรียบเทียบต้องดูว่าเป็นปัญหาเฉพาะตัวหรือไม่ เพราะถ้าใช่ ราคาอาจฟื้นช้ากว่ากลุ่ม'] });
  } else if (s.peer_relative === 'outperforming') {
    risks.push({ slot: 'watch.peers', weight: 2, variants: ['การวิ่งนำกลุ่มเปรียบเทียบมาแล้ว ({RETURN_VS_PEERS}) ทำให้มีโอกาสถูกขายทำกำไรหากทั้งกลุ่มอ่อนตัวลง'] });
  }
  if (c.topPeer && c.topPeer.correlation >= 0.6) {
    risks.push({ slot: 'watch.top_peer', weight: 2, variants: [`${subj}เคลื่อนไหวสอดคล้องกับ ${c.topPeer.name} ค่อนข้างมาก (ค่าสหสัมพันธ์ {TOP_PEER_CORRELATION}) ความเคลื่อนไหวของอีกตัวจึงเป็นสัญญาณล่วงหน้าที่ใช้ได้`] });
  }
  const vsPeers = c.facts.VOLATILITY_VS_PEERS?.value;
  if (vsPeers !== undefined && vsPeers >= 25) {
    risks.push({ slot: 'watch.vol_peers', weight: 3, variants: [`${subj}ผันผวนกว่าค่ากลางของกลุ่มเปรียบเทียบ ({VOLATILITY_VS_PEERS}) จึงควรถือในสัดส่วนที่น้อยกว่าปกติ`] });
  }
  if (s.volume === 'very_low' || s.volume === 'low') {
    risks.push({ slot: 'watch.volume', weight: 2, variants: ['วอลุ่มที่เบาบางทำให้การขยับของราคาเชื่อถือได้น้อยลง และราคาอาจกระชากได้ง่ายเมื่อมีแรงซื้อขายก้อนใหญ่'] });
  }
  if (s.volatility_regime === 'low' || s.volatility_regime === 'normal') {
    risks.push({ slot: 'watch.vol', weight: 1, variants: ['ตอนนี้ความผันผวนยังไม่สูง แต่หากช่วงแกว่งต่อวันเริ่มกว้างขึ้นจากระดับราว {ATR_PCT} มักเป็นสัญญาณว่าตลาดเริ่มไม่แน่ใจ'] });
  }
  risks.sort((a, b) => b.weight - a.weight);
  risks.forEach((r, k) => push(r.slot, k === 0 ? 0 : k === 1 ? 1 : 2 + k, r.variants));
  return out;
}

/** Valuation against the peers and the month in baht (DESIGN §11), a paragraph of their own in "สิ่งที่คุณต้องรู้". */
function valuationAndCurrency(c: WriterContext): Candidate[] {
  const out: Candidate[] = [];
  const v = c.inputs.valuation;
  // Short on purpose: Thai narratives run close to their length cap.
  const label: Record<string, string[]> = {
    cheap: ['ด้านมูลค่า P/E {PE_RATIO} ต่ำกว่าค่ากลางกลุ่มที่ {PEERS_MEDIAN_PE} ({PE_VS_PEERS}) ถูกกว่ากลุ่ม', 'P/E {PE_RATIO} เทียบค่ากลางกลุ่ม {PEERS_MEDIAN_PE} ({PE_VS_PEERS}) ราคาจึงถูกกว่ากลุ่ม'],
    fair: ['ด้านมูลค่า P/E {PE_RATIO} ใกล้ค่ากลางกลุ่มที่ {PEERS_MEDIAN_PE} ({PE_VS_PEERS}) ราคาสมเหตุสมผล', 'P/E {PE_RATIO} เทียบค่ากลางกลุ่ม {PEERS_MEDIAN_PE} ({PE_VS_PEERS}) มูลค่าจึงพอดีกับกลุ่ม'],
    expensive: ['ด้านมูลค่า P/E {PE_RATIO} สูงกว่าค่ากลางกลุ่มที่ {PEERS_MEDIAN_PE} ({PE_VS_PEERS}) แพงกว่ากลุ่ม', 'P/E {PE_RATIO} เทียบค่ากลางกลุ่ม {PEERS_MEDIAN_PE} ({PE_VS_PEERS}) ราคาจึงแพงกว่ากลุ่ม'],
  };
  // First among the optional sentences (ahead of the currency one): dropped only when the sentences that must stay
  // already fill the length target, which the completeness score then marks.
  if (v?.label && label[v.label]) out.push({ section: 'know', slot: 'know.valuation', priority: 0.4, paragraph: 2, variants: label[v.label]! });
  else if (v && c.facts.PE_RATIO) {
    out.push({ section: 'know', slot: 'know.valuation', priority: 2, paragraph: 2, variants: ['ด้านมูลค่า ค่า P/E ย้อนหลังอยู่ที่ {PE_RATIO} แต่หุ้นในกลุ่มที่มีค่า P/E ให้เทียบยังมีไม่พอ'] });
  }
  if (c.facts.ANALYST_UPSIDE) {
    out.push({ section: 'know', slot: 'know.target', priority: 3, paragraph: 2, variants: ['ราคาเป้าหมายเฉลี่ยของนักวิเคราะห์ห่างจากราคาปัจจุบัน {ANALYST_UPSIDE}'] });
  }
  const fx = c.inputs.fx;
  if (fx && c.facts.RETURN_1M_THB) {
    const cur = CURRENCY_TH[fx.base_currency] ?? fx.base_currency;
    out.push({
      section: 'know',
      slot: 'know.currency',
      // The first optional sentence: left out only when the narrative would run past its length target.
      priority: 0.5,
      paragraph: 2,
      variants: [
        `คิดเป็นเงินบาท ผลตอบแทนหนึ่งเดือนคือ {RETURN_1M_THB}[[ (ค่าเงิน${cur} {FX_CHANGE_1M})]]`,
        `ผู้ถือ DR ที่นับเป็นเงินบาทได้ผลตอบแทนหนึ่งเดือน {RETURN_1M_THB}[[ (ค่าเงิน${cur} {FX_CHANGE_1M})]]`,
      ],
    });
  }
  return out;
}

export function thaiCandidates(c: WriterContext): Candidate[] {
  return [...story(c), ...know(c), ...valuationAndCurrency(c), ...action(c), ...watch(c)];
}

/** Sentences within a paragraph are separated by a space, the way Thai marks a new sentence. */
export const THAI_SENTENCE_JOINER = ' ';
