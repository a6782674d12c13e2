import { formatFact, priceDecimals } from '../report/facts.js';
import type { Language } from '../report/narrative-contract.js';
import type { Digest, DigestItem } from './delivery-channel.js';
import { fundamentalsLine } from './digest-fundamentals.js';

/** The e-mail of a digest, recipient-free: built once per digest and shared by every subscriber who gets it. */
export interface DigestEmail {
  subject: string;
  html: string;
  text: string;
  /** Inline images, referenced from the HTML as `cid:<cid>`. */
  attachments: { filename: string; content: Buffer; cid: string; contentType: 'image/png' }[];
}

type LabelKey = 'subject' | 'brief' | 'watchlist' | 'demo' | 'open' | 'confidence' | 'unavailable' | 'empty' | 'footer';

const LABELS: Record<Language, Record<LabelKey, string>> = {
  en: {
    subject: 'Daybreak morning brief',
    brief: 'Morning brief',
    watchlist: 'Your watchlist',
    demo: 'DEMO DATA — synthetic prices generated offline, not real market data.',
    open: 'Open the full report',
    confidence: 'confidence',
    unavailable: 'No report today for',
    empty: 'Your watchlist is empty: follow tickers to get their calls here.',
    footer: 'For education only, not investment advice.',
  },
  th: {
    subject: 'Daybreak สรุปตลาดเช้านี้',
    brief: 'สรุปตลาดเช้านี้',
    watchlist: 'หุ้นที่คุณติดตาม',
    demo: 'ข้อมูลสาธิต — ราคาสังเคราะห์ที่สร้างขึ้นแบบออฟไลน์ ไม่ใช่ข้อมูลตลาดจริง',
    open: 'เปิดรายงานฉบับเต็ม',
    confidence: 'ความมั่นใจ',
    unavailable: 'วันนี้ยังไม่มีรายงานของ',
    empty: 'คุณยังไม่ได้ติดตามหุ้นตัวใด: ติดตามหุ้นเพื่อรับสัญญาณที่นี่',
    footer: 'ข้อมูลนี้จัดทำเพื่อการศึกษาเท่านั้น ไม่ใช่คำแนะนำการลงทุน',
  },
};

const CONFIDENCE_TH: Record<string, string> = { high: 'สูง', medium: 'ปานกลาง', low: 'ต่ำ' };
const STANCE_TH: Record<string, string> = { bullish: 'มุมมองบวก', bearish: 'มุมมองลบ', neutral: 'มุมมองกลาง' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The brief's Markdown is paragraphs, `**bold**` and `> ` notes; nothing else needs rendering. */
function markdownToHtml(markdown: string): string {
  return markdown
    .split(/\n{2,}/)
    .map((block) => {
      const quote = block.startsWith('> ');
      const inner = escapeHtml(quote ? block.slice(2) : block).replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>');
      return quote ? `<blockquote style="color:#8a5a00">${inner}</blockquote>` : `<p>${inner}</p>`;
    })
    .join('\n');
}

function markdownToText(markdown: string): string {
  return markdown.replace(/\*\*(.+?)\*\*/g, '$1').replace(/^> /gm, '');
}

/** Prices and changes printed as the report's narrative prints them. */
export function formatPrice(item: Pick<DigestItem, 'price' | 'currency'>): string {
  const decimals = priceDecimals(item.price, item.currency);
  return formatFact({ key: 'PRICE', value: item.price, unit: 'price', decimals, label: 'price' }, 'en', item.currency);
}

export function formatChange(pct: number | null): string {
  if (pct === null) return '—';
  return formatFact({ key: 'CHANGE', value: pct, unit: 'signed_percent', decimals: 2, label: 'change' }, 'en', '');
}

function callLine(item: DigestItem, language: Language): string {
  const l = LABELS[language];
  const stance = language === 'th' ? (STANCE_TH[item.stance] ?? item.stance) : item.stance;
  const confidence = language === 'th' ? (CONFIDENCE_TH[item.confidence] ?? item.confidence) : item.confidence;
  return `${item.recommendation} · ${stance} · ${l.confidence} ${confidence}`;
}

const isAbsolute = (url: string) => /^https?:\/\//.test(url);

export function renderDigestEmail(digest: Digest): DigestEmail {
  const l = LABELS[digest.language];
  const attachments: DigestEmail['attachments'] = [];
  const htmlItems: string[] = [];
  const textItems: string[] = [];
  for (const item of digest.items) {
    const cid = `chart-${item.ticker.toLowerCase()}@daybreak`;
    if (item.chart_png) attachments.push({ filename: `${item.ticker}.png`, content: item.chart_png, cid, contentType: 'image/png' });
    const link = isAbsolute(item.report_url) ? item.report_url : null;
    const fundamentals = fundamentalsLine(item.fundamentals, digest.language);
    htmlItems.push(
      [
        '<tr><td style="padding:12px 0;border-top:1px solid #ddd">',
        `<h3 style="margin:0">${escapeHtml(item.ticker)} <small style="color:#555">${escapeHtml(item.company_name)}</small></h3>`,
        `<p style="margin:4px 0"><strong>${escapeHtml(formatPrice(item))}</strong> (${escapeHtml(formatChange(item.price_change_pct))}) · ${escapeHtml(callLine(item, digest.language))}</p>`,
        `<p style="margin:4px 0">${escapeHtml(item.why)}</p>`,
        fundamentals ? `<p style="margin:4px 0;color:#374151;font-size:13px">${escapeHtml(fundamentals)}</p>` : '',
        item.chart_png ? `<img src="cid:${cid}" alt="${escapeHtml(item.ticker)} chart" width="600" style="max-width:100%">` : '',
        link ? `<p style="margin:4px 0"><a href="${escapeHtml(link)}">${escapeHtml(l.open)}</a></p>` : '',
        '</td></tr>',
      ].join('\n'),
    );
    textItems.push(
      [
        `${item.ticker} — ${item.company_name}`,
        `${formatPrice(item)} (${formatChange(item.price_change_pct)}) · ${callLine(item, digest.language)}`,
        item.why,
        ...(fundamentals ? [fundamentals] : []),
        ...(link ? [`${l.open}: ${link}`] : []),
      ].join('\n'),
    );
  }
  const demo = digest.demo ? l.demo : null;
  const unavailable = digest.unavailable.length > 0 ? `${l.unavailable} ${digest.unavailable.join(', ')}` : null;
  const empty = digest.items.length === 0 && digest.unavailable.length === 0 ? l.empty : null;
  const subject = `${demo ? '[DEMO] ' : ''}${l.subject} ${digest.business_date}`;
  const html = [
    '<!doctype html><html><head><meta charset="utf-8"></head><body style="font-family:sans-serif;max-width:640px">',
    demo ? `<p style="background:#fff3cd;padding:8px">${escapeHtml(demo)}</p>` : '',
    `<h2>${escapeHtml(l.brief)} ${escapeHtml(digest.business_date)}</h2>`,
    markdownToHtml(digest.brief.narrative),
    `<h2>${escapeHtml(l.watchlist)}</h2>`,
    empty ? `<p>${escapeHtml(empty)}</p>` : '',
    `<table style="width:100%;border-collapse:collapse">${htmlItems.join('\n')}</table>`,
    unavailable ? `<p>${escapeHtml(unavailable)}</p>` : '',
    `<p style="color:#777;font-size:12px">${escapeHtml(l.footer)} · ${escapeHtml(digest.execution_id)}</p>`,
    '</body></html>',
  ].join('\n');
  const text = [
    ...(demo ? [demo, ''] : []),
    `${l.brief} ${digest.business_date}`,
    '',
    markdownToText(digest.brief.narrative),
    '',
    `${l.watchlist}`,
    ...(empty ? [empty] : []),
    ...textItems.flatMap((t) => ['', t]),
    ...(unavailable ? ['', unavailable] : []),
    '',
    `${l.footer} · ${digest.execution_id}`,
  ].join('\n');
  return { subject, html, text, attachments };
}
