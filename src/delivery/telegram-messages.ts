import { CHAT_TEXTS } from './chat-texts.js';
import { digestCardOf, type ReportCard } from './report-card.js';
import { digestHead, splitText } from './split-text.js';
import type { Digest } from './delivery-channel.js';

/** Bot API limits: characters of a message's text and of a photo's caption, counted after HTML is parsed. */
export const TELEGRAM_LIMITS = { textChars: 4096, captionChars: 1024 } as const;

/** One Bot API call, ready to send: `sendMessage` or `sendPhoto` with its parameters (chat_id added by the channel). */
export type TelegramMessage =
  | { method: 'sendMessage'; payload: { text: string; parse_mode: 'HTML'; reply_markup?: InlineKeyboard; link_preview_options?: { is_disabled: boolean } } }
  | { method: 'sendPhoto'; payload: { photo: string; caption: string; parse_mode: 'HTML'; reply_markup?: InlineKeyboard } };

interface InlineKeyboard {
  inline_keyboard: { text: string; url: string }[][];
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const CALL_MARK = { BUY: '🟢', HOLD: '⚪', SELL: '🔴' } as const;

/** A card's lines as HTML: the first (ticker) bold, the rest escaped. Returns the HTML and its visible length. */
function cardCaption(card: ReportCard): { head: string; why: string | null; headLength: number } {
  const t = CHAT_TEXTS[card.language];
  const lines = [
    `${card.ticker} · ${card.company_name}`,
    `${card.price}${card.change ? ` (${card.change})` : ''}`,
    `${CALL_MARK[card.recommendation]} ${card.call} · ${card.stance_line}`,
  ];
  if (card.scores.length > 0) lines.push(card.scores.map((s) => `${s.label} ${s.value}`).join(' · '));
  lines.push(`${t.asOf(card.as_of)}${card.demo ? ` · ${t.demo}` : ''}`);
  const [first, ...rest] = lines;
  const head = [`<b>${escapeHtml(first!)}</b>`, ...rest.map(escapeHtml)].join('\n');
  return { head, why: card.why, headLength: lines.join('\n').length };
}

const openButton = (card: ReportCard): InlineKeyboard => ({ inline_keyboard: [[{ text: CHAT_TEXTS[card.language].openReport, url: card.report_url }]] });

/**
 * A card as Bot API calls: the chart as a photo with the summary as its caption and an inline button to the report.
 * A caption that would pass 1,024 characters keeps the summary and sends the why as a message after it; a report
 * without a chart is one text message with the button.
 */
export function telegramCardMessages(card: ReportCard): TelegramMessage[] {
  const { head, why, headLength } = cardCaption(card);
  const full = why ? `${head}\n\n${escapeHtml(why)}` : head;
  const fullLength = headLength + (why ? why.length + 2 : 0);
  const reply_markup = openButton(card);
  if (!card.chart_url) {
    return splitHtmlFree(full, fullLength).map((text, i, all) => ({
      method: 'sendMessage' as const,
      payload: { text, parse_mode: 'HTML' as const, ...(i === all.length - 1 ? { reply_markup } : {}), link_preview_options: { is_disabled: true } },
    }));
  }
  if (fullLength <= TELEGRAM_LIMITS.captionChars) return [{ method: 'sendPhoto', payload: { photo: card.chart_url, caption: full, parse_mode: 'HTML', reply_markup } }];
  return [
    { method: 'sendPhoto', payload: { photo: card.chart_url, caption: head, parse_mode: 'HTML', reply_markup } },
    ...telegramTextMessages(why ?? ''),
  ];
}

/** HTML that fits one message is sent as it is; longer text is split as plain text and escaped part by part. */
function splitHtmlFree(html: string, visibleLength: number): string[] {
  if (visibleLength <= TELEGRAM_LIMITS.textChars) return [html];
  const plain = html.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return splitText(plain, TELEGRAM_LIMITS.textChars).map(escapeHtml);
}

/** Plain text as messages of at most 4,096 characters. */
export function telegramTextMessages(text: string): TelegramMessage[] {
  return splitText(text, TELEGRAM_LIMITS.textChars).map((part) => ({
    method: 'sendMessage' as const,
    payload: { text: escapeHtml(part), parse_mode: 'HTML' as const, link_preview_options: { is_disabled: true } },
  }));
}

/** A digest as Bot API calls: the brief (split at 4,096), then one card per watchlist ticker. Nothing is dropped. */
export function telegramDigestMessages(digest: Digest): TelegramMessage[] {
  const head = digestHead(digest);
  return [...telegramTextMessages(head), ...digest.items.flatMap((item) => telegramCardMessages(digestCardOf(item, digest.language)))];
}
