/**
 * Every word the page itself writes, in Thai and English, and the page's language. Thai is the default (the readers
 * open the page from LINE and Telegram in Thailand); English when the reader chooses it: `?lang=en|th` in the URL or
 * the TH | EN switch (both remembered in localStorage), and inside Telegram the Mini App user's `language_code`
 * sets the default. The Thai wording follows the report's own (src/chat/chat-texts.ts, src/narrative/phrasebook-th.ts);
 * the browser cannot import those TS files, so the page keeps its table here.
 *
 * Numbers are never written into a phrase here: callers format them (dom.js, with `Intl` in LOCALE) and pass them in.
 * Text the server wrote (the narrative, rationales, API error messages) stays in the language it was written in,
 * except the API errors with a known `code`, which the Thai table words itself.
 */
import { telegramLanguageCode } from './telegram-webapp.js';

export const LANGUAGES = ['th', 'en'];
export const LANG_STORAGE_KEY = 'daybreak.lang';
const LOCALES = { th: 'th-TH', en: 'en-US' };

const quote = (s) => (String(s).length > 40 ? `${String(s).slice(0, 40)}…` : String(s));

const TH = {
  skip: 'ข้ามไปยังเนื้อหา',
  home: 'หน้าแรก Daybreak',
  navLabel: 'เมนูหลัก',
  nav: { list: 'รายชื่อหุ้น', executions: 'รอบคำนวณ', 'track-record': 'ผลงานย้อนหลัง', watchlist: 'รายการของฉัน' },
  languageLabel: 'ภาษา',
  languageNames: { th: 'ไทย', en: 'อังกฤษ' },
  loading: 'กำลังโหลด…',
  footer: 'รายงานวิเคราะห์หุ้นรายวัน คำนวณไว้ล่วงหน้า เพื่อการศึกษาเท่านั้น ไม่ใช่คำแนะนำการลงทุน',
  snapshotNote: (date) => `สแนปช็อตแบบคงที่ ส่งออกเมื่อ ${date}`,
  notFound: 'ไม่พบหน้านี้',
  backToList: 'กลับไปที่รายชื่อหุ้น',
  timeZone: 'น.',
  stance: { bullish: 'ขาขึ้น', bearish: 'ขาลง', neutral: 'ทรงตัว' },
  recommendation: { BUY: 'ซื้อ', HOLD: 'ถือ', SELL: 'ขาย' },
  confidence: { high: 'สูง', medium: 'ปานกลาง', low: 'ต่ำ' },
  confidenceBadge: (c) => `ความมั่นใจ${c}`,
  noReport: 'ยังไม่มีรายงาน',
  stale: 'ข้อมูลเก่า',
  staleTitle: 'แสดงหลังวันทำการของรายงาน: รายงานของวันนี้ยังไม่ได้คำนวณ',
  demo: 'ข้อมูลสาธิต',
  demoTitle: 'ราคาและข่าวจำลองที่ระบบสร้างขึ้นเอง ไม่ใช่ข้อมูลตลาดจริง',
  unreachable: (why) => `ติดต่อเซิร์ฟเวอร์ไม่ได้ (${why})`,
  didYouMean: ['หมายถึง ', ' หรือไม่?'],
  /** The report's warnings the server writes in English, worded in Thai; `date` formats a YYYY-MM-DD. */
  warnings: [
    [/^demo data: /, () => 'ข้อมูลสาธิต: ราคาและข่าวจำลองที่ระบบสร้างขึ้นเอง ไม่ใช่ข้อมูลตลาดจริง'],
    [/^old data: the last bar is from (\S+), (\d+) days before (\S+)$/, (m, date) => `ข้อมูลเก่า: แท่งราคาล่าสุดเป็นของวันที่ ${date(m[1])} ก่อนวันทำการ ${date(m[3])} อยู่ ${m[2]} วัน`],
    [/^short history: (\d+) bars/, (m) => `ประวัติราคาสั้น: มี ${m[1]} แท่ง น้อยกว่า 200 แท่งที่เส้นค่าเฉลี่ย SMA 200 ต้องใช้`],
    [/^company info unavailable/, () => 'ไม่มีข้อมูลบริษัท จึงไม่แสดงปัจจัยพื้นฐานและการประเมินมูลค่า'],
    [/^old company info: fetched for (\S+)/, (m, date) => `ข้อมูลบริษัทเก่า: ดึงมาเมื่อ ${date(m[1])}`],
    [/^FX unavailable: no (\S+) rates/, (m) => `ไม่มีอัตราแลกเปลี่ยน ${m[1]} จึงไม่แสดงมุมมองในสกุลบาท`],
  ],
  apiError(code, details, message) {
    switch (code) {
      case 'unknown_ticker':
        return `ไม่พบหุ้น "${quote(details?.input ?? '')}" ในรายชื่อ`;
      case 'report_not_ready':
        return `${details?.ticker ?? ''} ยังไม่มีรายงาน รอบคำนวณประจำวันยังไม่ได้คำนวณหุ้นตัวนี้`.trim();
      case 'invalid_init_data':
        return 'Telegram ยืนยันตัวตนไม่สำเร็จ กรุณาเปิดหน้านี้ใหม่จากปุ่ม Mini App ของบอท';
      case 'rate_limited':
        return 'ส่งคำขอถี่เกินไป กรุณารอสักครู่แล้วลองใหม่';
      case 'static_snapshot':
        return 'นี่คือสแนปช็อตแบบคงที่ของ Daybreak แสดงรายงานตามที่ส่งออกไว้ และสั่งคำนวณใดๆ ไม่ได้';
      case 'not_in_snapshot':
        return details?.ticker ? `${details.ticker} ไม่มีรายงานในสแนปช็อตนี้` : 'สแนปช็อตนี้ไม่มีหน้านี้';
      case 'invalid_request':
      case 'bad_request':
        return `คำขอไม่ถูกต้อง (${message})`;
      case 'unavailable':
        return 'ระบบนี้ยังไม่เปิดให้ใช้ส่วนนี้';
      default:
        return null;
    }
  },
  list: {
    title: 'รายชื่อหุ้น',
    loading: 'กำลังโหลดรายชื่อหุ้น…',
    filter: 'ค้นหา',
    filterPlaceholder: 'ชื่อย่อหรือชื่อบริษัท',
    stance: 'มุมมอง',
    allStances: 'ทุกมุมมอง',
    caption: 'หุ้นพร้อมรายงานล่าสุด กดที่หัวคอลัมน์เพื่อเรียงลำดับ',
    columns: { ticker: 'หุ้น', price: 'ราคา', change: 'เปลี่ยนแปลง', stance: 'มุมมอง', as_of: 'ความสดของข้อมูล' },
    asOf: 'ข้อมูล ณ ',
    notComputed: 'ยังไม่ได้คำนวณ',
    noMatch: 'ไม่มีหุ้นที่ตรงกับคำค้น',
    count: (visible, total) => (visible === total ? `${total} หุ้น` : `${visible} จาก ${total} หุ้น`),
    withReport: (n) => ` (มีรายงาน ${n})`,
    bullish: (n) => `ขาขึ้น ${n}`,
    neutral: (n) => `ทรงตัว ${n}`,
    bearish: (n) => `ขาลง ${n}`,
    latest: (date) => ` · ข้อมูลล่าสุด ณ ${date}`,
    emptySnapshot: 'สแนปช็อตนี้ไม่มีรายงาน',
    empty: ['ยังไม่มีรายงาน เริ่มรอบคำนวณได้ที่หน้า ', ' หรือด้วยคำสั่ง ', ''],
  },
  brief: {
    title: 'สรุปตลาดเช้านี้',
    unavailable: 'ยังโหลดสรุปตลาดไม่ได้ในขณะนี้',
    up: (n) => `ขึ้น ${n}`,
    down: (n) => `ลง ${n}`,
    rest: (unchanged, total, buy, hold, sell) => ` · ทรงตัว ${unchanged} จากทั้งหมด ${total} · คำแนะนำ: ซื้อ ${buy} ถือ ${hold} ขาย ${sell}`,
    best: 'บวกมากสุด: ',
    worst: ' · ลบมากสุด: ',
    market: { US: 'สหรัฐฯ', SG: 'สิงคโปร์', HK: 'ฮ่องกง', JP: 'ญี่ปุ่น', VN: 'เวียดนาม', TW: 'ไต้หวัน', CN: 'จีน', EU: 'ยุโรป' },
    median: (label, count) => `${label} (${count}): ค่ากลาง `,
  },
  report: {
    loading: (symbol) => `กำลังโหลดรายงานของ ${symbol}…`,
    back: '← หุ้นทั้งหมด',
    generate: 'สร้างรายงานตอนนี้',
    starting: 'กำลังเริ่ม…',
    waiting: 'กำลังรอเครื่องคำนวณ…',
    computing: 'กำลังคำนวณรายงาน…',
    done: 'เสร็จแล้ว กำลังโหลดรายงาน…',
    jobFailed: (why) => `งานล้มเหลว: ${why ?? 'ไม่ระบุสาเหตุ'}`,
    onExchange: (symbol, exchange) => `${symbol} ตลาด ${exchange}`,
    recommendationTitle: 'คำแนะนำ',
    asOf: 'ข้อมูล ณ ',
    generated: 'สร้างเมื่อ ',
    carriedForward: (by, made, stands) =>
      `ใช้รายงานเดิม: ข้อมูลตั้งต้น (ราคา ข่าว กลุ่มเปรียบเทียบ) ไม่เปลี่ยนแปลง รายงานที่ ${by} สร้างเมื่อ ${made} ` +
      `จึงใช้แทนวันที่ ${stands} ไม่ได้สร้างกราฟหรือบทวิเคราะห์ใหม่`,
    why: 'เหตุผล: ',
    warnings: 'คำเตือน',
    chartAlt: (t) => `กราฟราคาของ ${t}: แท่งเทียนพร้อมเส้นค่าเฉลี่ยและ Bollinger Band ปริมาณซื้อขาย RSI และ MACD`,
    noChart: 'รายงานนี้ไม่มีกราฟ',
    chart: 'กราฟ',
    analysis: 'บทวิเคราะห์',
    side: 'คะแนน กลุ่มเปรียบเทียบ และคุณภาพ',
    scores: 'คะแนน',
    scoreLabels: {
      trend: 'แนวโน้ม',
      momentum: 'โมเมนตัม',
      volatility_risk: 'ความเสี่ยงจากความผันผวน',
      volume_liquidity: 'ปริมาณและสภาพคล่อง',
      news_sentiment: 'กระแสข่าว',
      relative_strength: 'ความแข็งแกร่งเทียบกลุ่ม',
      valuation: 'มูลค่า',
    },
    notAvailable: 'ไม่มีข้อมูล',
    meter: (value, max) => `${value} จาก ${max}`,
    quality: 'คุณภาพบทวิเคราะห์',
    overall: 'โดยรวม',
    overallQuality: 'คุณภาพโดยรวม',
    qualityLabels: { faithfulness: 'ความตรงกับข้อมูล', completeness: 'ความครบถ้วน', reasoning_quality: 'การให้เหตุผล', compliance: 'การปฏิบัติตามข้อกำหนด' },
    issues: (n) => `${n} ประเด็น`,
    details: 'รายละเอียด',
    scorer: (v) => `ตัวให้คะแนน ${v}`,
    risk: 'ความเสี่ยง',
    riskLevel: { high: 'สูง', medium: 'ปานกลาง', low: 'ต่ำ' },
    regime: { low: 'ต่ำ', normal: 'ปกติ', high: 'สูง', extreme: 'สูงมาก', unknown: 'ไม่ทราบ' },
    volatilityRegime: 'ระดับความผันผวน',
    atr: 'ATR (% ของราคา)',
    percentile: (n) => ` · เปอร์เซ็นไทล์ ${n}`,
    volatility30: 'ความผันผวน 30 วัน',
    annualised: ' ต่อปี',
    peers: 'กลุ่มเปรียบเทียบ',
    noPeers: 'ไม่มีกลุ่มเปรียบเทียบ: ต้องมีหุ้นตัวอื่นที่มีประวัติราคาร่วมกันนานพอ',
    peerColumns: ['หุ้น', 'สหสัมพันธ์', '1 เดือน', 'ผันผวน'],
    correlationTitle: 'สหสัมพันธ์ของผลตอบแทนรายวัน',
    vsMedian: (pts) => `ผลตอบแทน 1 เดือน ${pts} จุด เทียบค่ากลางของกลุ่ม`,
    method: 'วิธีคำนวณ',
    news: 'ข่าว',
    mixAria: (pos, neu, neg) => `บวก ${pos}% กลาง ${neu}% ลบ ${neg}%`,
    headlines: (count, days) => `${count} หัวข้อข่าว${days ? ` ในช่วง ${days} วัน` : ''}: `,
    positive: (p) => `บวก ${p}%`,
    neutralPct: (p) => ` · กลาง ${p}% · `,
    negative: (p) => `ลบ ${p}%`,
    noNews: 'ไม่มีข่าวในช่วงนี้',
    sentiment: { positive: 'บวก', negative: 'ลบ', neutral: 'กลาง' },
    sentimentTitle: (s) => `คะแนนความรู้สึกของข่าว ${s}`,
    impact: (n) => `ผลกระทบ ${n}`,
    readings: 'ค่าชี้วัดสำคัญ',
    readingColumns: ['ค่าชี้วัด', 'ค่า', 'เปอร์เซ็นไทล์', 'สัญญาณ'],
    percentileTitle: 'เปอร์เซ็นไทล์เทียบกับประวัติของค่าชี้วัดเอง',
    signal: { bullish: 'ขาขึ้น', bearish: 'ขาลง', neutral: 'กลาง', elevated_risk: 'เสี่ยงสูง' },
    about: 'เกี่ยวกับรายงานนี้',
    businessDate: 'วันทำการ',
    data: 'ข้อมูล',
    bars: (n) => ` · ${n} แท่ง`,
    execution: 'รอบคำนวณ',
    writer: 'ผู้เขียน',
    computeTime: 'เวลาคำนวณ',
    stages: 'ขั้นตอน',
    apiCost: 'ค่า API',
    tokens: (i, o) => ` · ${i}+${o} โทเค็น`,
    json: 'JSON ของรายงาน',
    follow: 'ติดตาม',
    unfollow: 'เลิกติดตาม',
  },
  fundamentals: {
    title: 'ปัจจัยพื้นฐาน',
    synthetic: ' (จำลอง)',
    verdict: { cheap: 'ถูก', fair: 'เหมาะสม', expensive: 'แพง' },
    verdictTitle: 'มูลค่าเทียบกลุ่มเปรียบเทียบ',
    noVerdict: 'ยังสรุปไม่ได้',
    rows: {
      market_cap: 'มูลค่าตลาด',
      pe_ratio: 'P/E',
      forward_pe: 'P/E ล่วงหน้า',
      price_to_book: 'P/B',
      eps: 'EPS',
      dividend_yield_pct: 'อัตราปันผล',
      beta: 'เบต้า',
      profit_margin_pct: 'อัตรากำไรสุทธิ',
      return_on_equity_pct: 'ROE',
      revenue_growth_pct: 'การเติบโตของรายได้',
      analyst_count: 'นักวิเคราะห์',
      analyst_target_mean: 'ราคาเป้าหมายเฉลี่ย',
      next_earnings_date: 'ประกาศงบครั้งถัดไป',
    },
    earningsIn: (d) => `อีก ${d} วัน`,
    earningsSoon: 'ประกาศงบภายใน 7 วัน',
    noInfo: 'ไม่มีข้อมูลบริษัทของหุ้นตัวนี้',
    thbLabel: 'สำหรับผู้ถือเป็นเงินบาท 1 เดือน: ',
    thbRest: (local, base, rate, change) => ` ในสกุล THB เทียบ ${local} ในสกุล ${base} · ${base}/THB ${rate} (1 เดือน ${change})`,
  },
  trackRecord: {
    title: 'ผลงานย้อนหลัง',
    titleOf: (s) => `ผลงานย้อนหลัง · ${s}`,
    headingOf: (t) => `ผลงานย้อนหลังของ ${t}`,
    loading: 'กำลังโหลดผลงานย้อนหลัง…',
    noCalls: ['ยังไม่มีคำแนะนำที่บันทึกไว้ สั่ง ', ' เพื่อย้อนทดสอบวันที่ผ่านมา'],
    sample: (n, from, to) => `คำแนะนำ ${n} ครั้ง ตั้งแต่ ${from} ถึง ${to} `,
    figcaption: 'คำแนะนำบนราคาปิด: ▲ ซื้อ ▼ ขาย · ถือ',
    notEnough: 'คำแนะนำยังน้อยเกินกว่าจะวาดกราฟ',
    summary: 'อัตราความแม่นยำตามคำแนะนำและระยะเวลา (จำนวนแท่ง)',
    columns: ['', 'แท่ง', 'จำนวน', 'อัตราแม่นยำ', 'ช่วงความเชื่อมั่น 95%', '', 'ผลตอบแทนเฉลี่ย', 'ส่วนเกินเฉลี่ย'],
    verdict: 'Daybreak เทียบเกณฑ์อ้างอิง (รวมคำแนะนำซื้อและขาย ช่วงความเชื่อมั่นที่ซ้อนกันถือว่าไม่ต่างกันชัดเจน)',
    verdictColumns: ['แท่ง', 'เกณฑ์อ้างอิง', 'Daybreak', 'เกณฑ์อ้างอิง', 'Daybreak'],
    outcome: { better: 'ดีกว่า', worse: 'แย่กว่า', no_clear_difference: 'ไม่ต่างกันชัดเจน', not_enough_data: 'ข้อมูลไม่พอ' },
    calibration: 'การสอบเทียบ: คำแนะนำซื้อและขายตามระดับความมั่นใจ',
    baseline: (strategy, rule) => `เกณฑ์อ้างอิง ${strategy}: ${rule}`,
    flip: (n) => `อัตราการเปลี่ยนคำแนะนำ: ${n} ครั้งต่อหุ้นต่อเดือน`,
    perTicker: 'รายหุ้น: ',
    perTickerLabel: 'ผลงานย้อนหลังรายหุ้น',
    latestOf: (t) => `รายงานล่าสุดของ ${t}`,
    universe: 'ทุกหุ้น',
    rateAria: (rate, ci) => `อัตราแม่นยำ ${rate} ช่วงความเชื่อมั่น 95% ${ci}`,
    priceAria: (n, from, to) => `เส้นราคาพร้อมคำแนะนำ ${n} ครั้ง ตั้งแต่ ${from} ถึง ${to}`,
    markTitle: (date, call, close) => `${date} ${call} ที่ ${close}`,
  },
  executions: {
    title: 'รอบคำนวณ',
    subtitle: 'รอบคำนวณล่าสุด ใหม่สุดก่อน',
    loading: 'กำลังโหลดรอบคำนวณ…',
    none: 'ยังไม่มีรอบคำนวณ',
    caption: 'รอบคำนวณล่าสุด',
    columns: ['รอบ', 'สถานะ', 'ความคืบหน้า', 'แหล่งข้อมูล', 'เริ่ม', 'ใช้เวลา'],
    status: {
      running: 'กำลังทำงาน',
      in_progress: 'กำลังทำงาน',
      pending: 'รอคิว',
      completed: 'เสร็จสิ้น',
      completed_with_failures: 'เสร็จแต่มีรายการล้มเหลว',
      failed: 'ล้มเหลว',
      timed_out: 'หมดเวลา',
    },
    progressAria: (done, total, failed) => `เสร็จ ${done} จาก ${total}${failed ? ` ล้มเหลว ${failed}` : ''}`,
    progressLabel: (id) => `ความคืบหน้าของ ${id}`,
    failed: (n) => `ล้มเหลว ${n}`,
    loadingOne: (id) => `กำลังโหลด ${id}…`,
    back: '← รอบคำนวณทั้งหมด',
    updating: (s) => `อัปเดตทุก ${s}`,
    facts: { source: 'แหล่งข้อมูล', requested: 'คำขอ', businessDate: 'วันทำการ', started: 'เริ่ม', deadline: 'กำหนดเสร็จ', finished: 'เสร็จเมื่อ', duration: 'ใช้เวลา', slowest: 'งานที่ช้าที่สุด', cost: 'ค่าใช้จ่าย' },
    soFar: (d) => `${d} (ยังไม่เสร็จ)`,
    allActive: 'หุ้นที่เปิดใช้งานทั้งหมด',
    failedOf: (id) => `งานที่ล้มเหลวของ ${id}`,
    nTickers: (n) => `${n} หุ้น`,
    firstN: (n) => `${n} ตัวแรก`,
    finishedAnnounce: (status, completed, failed) => `รอบคำนวณ${status}: เสร็จ ${completed} ล้มเหลว ${failed}`,
    failures: (n) => `รายการที่ล้มเหลว (${n})`,
    jobs: 'งาน',
    jobCount: (n, status) => `${status} ${n}`,
    noJobs: 'ไม่มีรายละเอียดรายหุ้น',
    jobColumns: ['หุ้น', 'สถานะ', 'จำนวนครั้ง', 'เริ่ม', 'ใช้เวลา', 'ข้อผิดพลาด'],
  },
  runForm: {
    token: 'โทเค็นผู้ดูแล',
    tickers: 'หุ้น (ไม่บังคับ)',
    tickersPlaceholder: 'หุ้นที่เปิดใช้งานทั้งหมด',
    limit: 'จำกัดจำนวน',
    limitPlaceholder: 'ไม่จำกัด',
    rerun: 'คำนวณหุ้นที่ล้มเหลวใหม่',
    runNow: 'เริ่มคำนวณเลย',
    forget: 'ลืมโทเค็น',
    forgotten: 'ลืมโทเค็นแล้ว',
    rerunLabel: 'คำนวณหุ้นที่ล้มเหลวใหม่',
    runLabel: 'เริ่มรอบคำนวณ',
    required: 'ต้องใส่โทเค็นผู้ดูแล',
    starting: 'กำลังเริ่ม…',
    started: (id) => `เริ่ม ${id} แล้ว`,
    refused: (status, message) => `โทเค็นผู้ดูแลถูกปฏิเสธ (${status}) ${message}`,
    note: 'โทเค็นเก็บไว้ในแท็บนี้เท่านั้น (sessionStorage) และส่งเป็น Bearer header',
  },
  chart: {
    aria: (t) => `กราฟราคาแบบโต้ตอบของ ${t}: ใช้สองนิ้วเพื่อซูม แตะเพื่อดูค่า`,
    volume: 'ปริมาณซื้อขาย',
    signal: 'เส้นสัญญาณ',
    histogram: 'ฮิสโตแกรม',
    bbUpper: 'BB บน',
    bbLower: 'BB ล่าง',
  },
  watchlist: {
    title: 'รายการของฉัน',
    intro: 'หุ้นที่คุณติดตาม สรุปจะส่งทาง Telegram ทุกเช้าหลังรอบคำนวณ',
    loading: 'กำลังโหลดรายการของคุณ…',
    empty: 'ยังไม่ได้ติดตามหุ้นใด เพิ่มชื่อหุ้นด้านล่างเพื่อเริ่ม',
    count: (n) => `หุ้นที่คุณติดตาม (${n})`,
    addLabel: 'เพิ่มหุ้น',
    addPlaceholder: 'เช่น NVDA หรือ NVDA19',
    add: 'เพิ่ม',
    remove: 'เอาออก',
    removeLabel: (t) => `เลิกติดตาม ${t}`,
    saving: 'กำลังบันทึก…',
    needSymbol: 'พิมพ์ชื่อหุ้นก่อน เช่น NVDA',
    already: (t) => `ติดตาม ${t} อยู่แล้ว`,
    followed: (t) => `ติดตาม ${t} แล้ว`,
    unfollowed: (t) => `เลิกติดตาม ${t} แล้ว`,
    digestIn: (language) => `สรุปตอนเช้าของคุณส่งเป็นภาษา${language}`,
    useLanguage: 'รับเป็นภาษาไทยแทน',
    digestLanguageSet: 'ต่อไปสรุปตอนเช้าจะส่งเป็นภาษาไทย',
  },
};

const EN = {
  skip: 'Skip to content',
  home: 'Daybreak home',
  navLabel: 'Main',
  nav: { list: 'Tickers', executions: 'Executions', 'track-record': 'Track record', watchlist: 'My watchlist' },
  languageLabel: 'Language',
  languageNames: { th: 'Thai', en: 'English' },
  loading: 'Loading…',
  footer: 'Daily analysis reports, precomputed. For education only, not investment advice.',
  snapshotNote: (date) => `Static snapshot, exported ${date}.`,
  notFound: 'Page not found',
  backToList: 'Back to the ticker list',
  timeZone: 'ICT',
  stance: { bullish: 'Bullish', bearish: 'Bearish', neutral: 'Neutral' },
  recommendation: { BUY: 'BUY', HOLD: 'HOLD', SELL: 'SELL' },
  confidence: { high: 'high', medium: 'medium', low: 'low' },
  confidenceBadge: (c) => `${c} confidence`,
  noReport: 'no report',
  stale: 'stale',
  staleTitle: "Served after its business date: today's report is not computed yet",
  demo: 'demo data',
  demoTitle: 'Synthetic prices and headlines generated offline, not market data',
  unreachable: (why) => `Could not reach the server (${why}).`,
  didYouMean: ['Did you mean ', '?'],
  warnings: [],
  // The server writes its messages in English: the page shows them as they are.
  apiError: () => null,
  list: {
    title: 'Tickers',
    loading: 'Loading tickers…',
    filter: 'Filter',
    filterPlaceholder: 'Symbol or company',
    stance: 'Stance',
    allStances: 'All stances',
    caption: 'Tickers with their latest report. Column headers sort.',
    columns: { ticker: 'Symbol', price: 'Price', change: 'Change', stance: 'Stance', as_of: 'Freshness' },
    asOf: 'as of ',
    notComputed: 'not computed yet',
    noMatch: 'No ticker matches the filter.',
    count: (visible, total) => `${visible === total ? total : `${visible} of ${total}`} tickers`,
    withReport: (n) => ` (${n} with a report)`,
    bullish: (n) => `${n} bullish`,
    neutral: (n) => `${n} neutral`,
    bearish: (n) => `${n} bearish`,
    latest: (date) => ` · latest data as of ${date}`,
    emptySnapshot: 'This snapshot holds no reports.',
    empty: ['No reports yet. Start a run from ', ' or with ', '.'],
  },
  brief: {
    title: 'Morning brief',
    unavailable: 'The morning brief is unavailable right now.',
    up: (n) => `${n} up`,
    down: (n) => `${n} down`,
    rest: (unchanged, total, buy, hold, sell) => ` · ${unchanged} unchanged of ${total} · calls: ${buy} BUY, ${hold} HOLD, ${sell} SELL`,
    best: 'Best: ',
    worst: ' · Worst: ',
    market: { US: 'US', SG: 'Singapore', HK: 'Hong Kong', JP: 'Tokyo', VN: 'Vietnam', TW: 'Taiwan', CN: 'China', EU: 'Europe' },
    median: (label, count) => `${label} (${count}): median `,
  },
  report: {
    loading: (symbol) => `Loading the report of ${symbol}…`,
    back: '← All tickers',
    generate: 'Generate it now',
    starting: 'Starting…',
    waiting: 'Waiting for a worker…',
    computing: 'Computing the report…',
    done: 'Done: loading the report…',
    jobFailed: (why) => `The job failed: ${why ?? 'no reason given'}`,
    onExchange: (symbol, exchange) => `${symbol} on ${exchange}`,
    recommendationTitle: 'Recommendation',
    asOf: 'as of ',
    generated: 'generated ',
    carriedForward: (by, made, stands) =>
      `Carried forward: its inputs (prices, news, peers) had not changed, so the report made by ${by} on ` +
      `${made} stands for ${stands}; no new chart or narrative was made.`,
    why: 'Why: ',
    warnings: 'Warnings',
    chartAlt: (t) => `Price chart of ${t}: candles with moving averages and Bollinger bands, volume, RSI and MACD panels`,
    noChart: 'No chart for this report.',
    chart: 'Chart',
    analysis: 'Analysis',
    side: 'Scores, peers and quality',
    scores: 'Scores',
    scoreLabels: {
      trend: 'Trend',
      momentum: 'Momentum',
      volatility_risk: 'Volatility risk',
      volume_liquidity: 'Volume & liquidity',
      news_sentiment: 'News sentiment',
      relative_strength: 'Relative strength',
      valuation: 'Valuation',
    },
    notAvailable: 'not available',
    meter: (value, max) => `${value} of ${max}`,
    quality: 'Narrative quality',
    overall: 'Overall',
    overallQuality: 'Overall quality',
    qualityLabels: { faithfulness: 'Faithfulness', completeness: 'Completeness', reasoning_quality: 'Reasoning', compliance: 'Compliance' },
    issues: (n) => `${n} issue${n > 1 ? 's' : ''}`,
    details: 'Details',
    scorer: (v) => `Scorer ${v}`,
    risk: 'Risk',
    riskLevel: { high: 'high', medium: 'medium', low: 'low' },
    regime: { low: 'low', normal: 'normal', high: 'high', extreme: 'extreme', unknown: 'unknown' },
    volatilityRegime: 'Volatility regime',
    atr: 'ATR (% of price)',
    percentile: (n) => ` · pct ${n}`,
    volatility30: '30-day volatility',
    annualised: ' annualised',
    peers: 'Peers',
    noPeers: 'No peers: correlations need other tickers with enough shared history.',
    peerColumns: ['Peer', 'Corr.', '1m', 'Vol.'],
    correlationTitle: 'Correlation of daily returns',
    vsMedian: (pts) => `1-month return ${pts} pts vs the peers' median.`,
    method: 'Method',
    news: 'News',
    mixAria: (pos, neu, neg) => `${pos}% positive, ${neu}% neutral, ${neg}% negative`,
    headlines: (count, days) => `${count} headline${count === 1 ? '' : 's'}${days ? ` over ${days} days` : ''}: `,
    positive: (p) => `${p}% positive`,
    neutralPct: (p) => ` · ${p}% neutral · `,
    negative: (p) => `${p}% negative`,
    noNews: 'No headlines in the window.',
    sentiment: { positive: 'positive', negative: 'negative', neutral: 'neutral' },
    sentimentTitle: (s) => `Sentiment score ${s}`,
    impact: (n) => `impact ${n}`,
    readings: 'Key readings',
    readingColumns: ['Reading', 'Value', 'Pctl', 'Signal'],
    percentileTitle: "Percentile against the reading's own history",
    signal: { bullish: 'bullish', bearish: 'bearish', neutral: 'neutral', elevated_risk: 'elevated risk' },
    about: 'About this report',
    businessDate: 'Business date',
    data: 'Data',
    bars: (n) => ` · ${n} bars`,
    execution: 'Execution',
    writer: 'Writer',
    computeTime: 'Compute time',
    stages: 'Stages',
    apiCost: 'API cost',
    tokens: (i, o) => ` · ${i}+${o} tokens`,
    json: 'Report JSON',
    follow: 'Follow',
    unfollow: 'Unfollow',
  },
  fundamentals: {
    title: 'Fundamentals',
    synthetic: ' (synthetic)',
    verdict: { cheap: 'cheap', fair: 'fair', expensive: 'expensive' },
    verdictTitle: 'Valuation vs peers',
    noVerdict: 'no verdict',
    rows: {
      market_cap: 'Market cap',
      pe_ratio: 'P/E',
      forward_pe: 'Forward P/E',
      price_to_book: 'P/B',
      eps: 'EPS',
      dividend_yield_pct: 'Dividend yield',
      beta: 'Beta',
      profit_margin_pct: 'Profit margin',
      return_on_equity_pct: 'ROE',
      revenue_growth_pct: 'Revenue growth',
      analyst_count: 'Analysts',
      analyst_target_mean: 'Mean target',
      next_earnings_date: 'Next earnings',
    },
    earningsIn: (d) => `in ${d} d`,
    earningsSoon: 'Earnings within 7 days',
    noInfo: 'No company info stored for this ticker.',
    thbLabel: 'For a THB holder, 1 month: ',
    thbRest: (local, base, rate, change) => ` in THB vs ${local} in ${base} · ${base}/THB ${rate} (1m ${change})`,
  },
  trackRecord: {
    title: 'Track record',
    titleOf: (s) => `Track record · ${s}`,
    headingOf: (t) => `Track record of ${t}`,
    loading: 'Loading the track record…',
    noCalls: ['No calls recorded yet. Run ', ' to replay past dates.'],
    sample: (n, from, to) => `${n} calls from ${from} to ${to}. `,
    figcaption: 'Calls over the closing price: ▲ BUY, ▼ SELL, · HOLD.',
    notEnough: 'Not enough calls to draw.',
    summary: 'Hit rate by call and horizon (trading bars)',
    columns: ['', 'bars', 'n', 'hit rate', '95% interval', '', 'mean return', 'mean excess'],
    verdict: 'Daybreak against the baselines (BUY and SELL calls pooled; intervals that overlap are no clear difference)',
    verdictColumns: ['bars', 'baseline', 'Daybreak', 'baseline', 'Daybreak is'],
    outcome: { better: 'better', worse: 'worse', no_clear_difference: 'no clear difference', not_enough_data: 'not enough data' },
    calibration: 'Calibration: BUY and SELL calls by confidence',
    baseline: (strategy, rule) => `Baseline ${strategy}: ${rule}`,
    flip: (n) => `Flip rate: ${n} changes of call per ticker per month.`,
    perTicker: 'Per ticker: ',
    perTickerLabel: 'Track record per ticker',
    latestOf: (t) => `The latest report of ${t}`,
    universe: 'The whole universe',
    rateAria: (rate, ci) => `hit rate ${rate}, 95% interval ${ci}`,
    priceAria: (n, from, to) => `price line with ${n} calls from ${from} to ${to}`,
    markTitle: (date, call, close) => `${date} ${call} at ${close}`,
  },
  executions: {
    title: 'Executions',
    subtitle: 'Recent precompute runs, newest first.',
    loading: 'Loading executions…',
    none: 'No executions yet.',
    caption: 'Recent executions',
    columns: ['Execution', 'Status', 'Progress', 'Source', 'Started', 'Duration'],
    status: {
      running: 'running',
      in_progress: 'in progress',
      pending: 'pending',
      completed: 'completed',
      completed_with_failures: 'completed with failures',
      failed: 'failed',
      timed_out: 'timed out',
    },
    progressAria: (done, total, failed) => `${done} of ${total} done${failed ? `, ${failed} failed` : ''}`,
    progressLabel: (id) => `Progress of ${id}`,
    failed: (n) => `${n} failed`,
    loadingOne: (id) => `Loading ${id}…`,
    back: '← All executions',
    updating: (s) => `updating every ${s}`,
    facts: { source: 'Source', requested: 'Requested', businessDate: 'Business date', started: 'Started', deadline: 'Deadline', finished: 'Finished', duration: 'Duration', slowest: 'Slowest job', cost: 'Cost' },
    soFar: (d) => `${d} so far`,
    allActive: 'all active tickers',
    failedOf: (id) => `failed jobs of ${id}`,
    nTickers: (n) => `${n} tickers`,
    firstN: (n) => `first ${n}`,
    finishedAnnounce: (status, completed, failed) => `Execution ${status}: ${completed} completed, ${failed} failed.`,
    failures: (n) => `Failures (${n})`,
    jobs: 'Jobs',
    jobCount: (n, status) => `${n} ${status}`,
    noJobs: 'No per-ticker detail.',
    jobColumns: ['Ticker', 'Status', 'Attempts', 'Started', 'Duration', 'Error'],
  },
  runForm: {
    token: 'Admin token',
    tickers: 'Tickers (optional)',
    tickersPlaceholder: 'all active tickers',
    limit: 'Limit',
    limitPlaceholder: 'no limit',
    rerun: 'Re-run failed tickers',
    runNow: 'Run now',
    forget: 'Forget token',
    forgotten: 'Token forgotten.',
    rerunLabel: 'Re-run the failed tickers',
    runLabel: 'Start a precompute run',
    required: 'The admin token is required.',
    starting: 'Starting…',
    started: (id) => `Started ${id}.`,
    refused: (status, message) => `The admin token was refused (${status}). ${message}`,
    note: 'The token is kept in this tab only (sessionStorage) and sent as a Bearer header.',
  },
  chart: {
    aria: (t) => `Interactive price chart of ${t}: pinch to zoom, touch for values`,
    volume: 'Volume',
    signal: 'Signal',
    histogram: 'Histogram',
    bbUpper: 'BB upper',
    bbLower: 'BB lower',
  },
  watchlist: {
    title: 'My watchlist',
    intro: 'The tickers you follow; the digest arrives in Telegram every morning after the run.',
    loading: 'Loading your watchlist…',
    empty: 'You follow nothing yet. Add a symbol below to start.',
    count: (n) => `You follow (${n})`,
    addLabel: 'Add a ticker',
    addPlaceholder: 'e.g. NVDA or NVDA19',
    add: 'Add',
    remove: 'Remove',
    removeLabel: (t) => `Unfollow ${t}`,
    saving: 'Saving…',
    needSymbol: 'Type a symbol first, e.g. NVDA.',
    already: (t) => `Already following ${t}.`,
    followed: (t) => `Following ${t}.`,
    unfollowed: (t) => `Stopped following ${t}.`,
    digestIn: (language) => `Your morning digest arrives in ${language}.`,
    useLanguage: 'Receive it in English instead',
    digestLanguageSet: 'Your morning digest will arrive in English from now on.',
  },
};

const TABLES = { th: TH, en: EN };

/** A language the page speaks, or null. */
function known(value) {
  const v = String(value ?? '').trim().toLowerCase();
  return LANGUAGES.includes(v) ? v : null;
}

/** `?lang=` of the page's URL, before the hash (`/?lang=en#/…`) or in the hash's query (`#/report/X?lang=en`). */
function urlLanguage() {
  const inSearch = new URLSearchParams(location.search).get('lang');
  const hashQuery = location.hash.includes('?') ? location.hash.slice(location.hash.indexOf('?') + 1) : '';
  return known(inSearch) ?? known(new URLSearchParams(hashQuery).get('lang'));
}

function storedLanguage() {
  try {
    return known(localStorage.getItem(LANG_STORAGE_KEY));
  } catch {
    return null;
  }
}

function remember(lang) {
  try {
    localStorage.setItem(LANG_STORAGE_KEY, lang);
  } catch {
    // Storage refused (private mode): the choice lasts for this page view.
  }
}

/** A Telegram user's `language_code` (IETF tag): Thai for `th…`, English for any other language. */
function telegramLanguage() {
  const code = telegramLanguageCode();
  if (!code) return null;
  return code.toLowerCase().startsWith('th') ? 'th' : 'en';
}

function initialLanguage() {
  const fromUrl = urlLanguage();
  if (fromUrl) {
    remember(fromUrl);
    return fromUrl;
  }
  return storedLanguage() ?? telegramLanguage() ?? 'th';
}

/** The page's language (`th` | `en`); live binding, changed by setLanguage(). */
export let LANG = initialLanguage();
/** The `Intl` locale of LANG: numbers, dates and relative times. */
export let LOCALE = LOCALES[LANG];
/** The strings of LANG; live binding. */
export let S = TABLES[LANG];

document.documentElement.lang = LANG;

const listeners = new Set();
/** `fn(lang)` after every change of language (the header and the current view render again). */
export function onLanguageChange(fn) {
  listeners.add(fn);
}

/** Switches the page's language and remembers the choice. */
export function setLanguage(lang) {
  const next = known(lang);
  if (!next) return;
  remember(next);
  // A `?lang=` left in the address would undo the choice on the next load.
  if (urlLanguage() && urlLanguage() !== next) {
    const search = new URLSearchParams(location.search);
    search.delete('lang');
    const [path, query = ''] = location.hash.split('?');
    const hashQuery = new URLSearchParams(query);
    hashQuery.delete('lang');
    const hash = hashQuery.size ? `${path}?${hashQuery}` : path;
    history.replaceState(history.state, '', `${location.pathname}${search.size ? `?${search}` : ''}${hash}`);
  }
  if (next === LANG) return;
  LANG = next;
  LOCALE = LOCALES[next];
  S = TABLES[next];
  document.documentElement.lang = next;
  for (const fn of listeners) fn(next);
}

/**
 * A report warning in the page's language: `{ text, lang }`, the server's English text (lang `en`) when the table has
 * no wording for it.
 */
export function warningText(warning, date) {
  for (const [pattern, word] of S.warnings) {
    const m = pattern.exec(warning);
    if (m) return { text: word(m, date), lang: LANG };
  }
  return { text: warning, lang: 'en' };
}

/** The strings of both languages, for tests and for a check that both tables have the same keys. */
export const STRINGS = TABLES;
