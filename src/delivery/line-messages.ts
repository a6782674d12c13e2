import type { messagingApi } from '@line/bot-sdk';
import { CHAT_TEXTS } from './chat-texts.js';
import { digestCardOf, type ReportCard } from './report-card.js';
import { digestHead, splitText } from './split-text.js';
import type { Digest } from './delivery-channel.js';

/** Messaging API limits (developers.line.biz/en/reference/messaging-api): per push/reply call, per text message. */
export const LINE_LIMITS = { messagesPerCall: 5, textChars: 5000, altTextChars: 1500, bubblesPerCarousel: 12 } as const;

/** Badge colours of the call, as the web page draws them. */
const CALL_COLOURS = { BUY: '#16a34a', HOLD: '#6b7280', SELL: '#dc2626' } as const;
const DIRECTION_COLOURS = { up: '#16a34a', down: '#dc2626', flat: '#6b7280' } as const;

type Message = messagingApi.Message;
type FlexBubble = messagingApi.FlexBubble;
type FlexComponent = messagingApi.FlexComponent;

const text = (t: string, extra: Partial<messagingApi.FlexText> = {}): messagingApi.FlexText => ({ type: 'text', text: t, wrap: true, ...extra });

/** A block of label-and-value rows (the scores, the fundamentals), the label grey on the left, the value right-aligned. */
function labelValueRows(rows: readonly { label: string; value: string }[], size: 'xs' | 'sm', [labelFlex, valueFlex]: [number, number]): FlexComponent {
  return {
    type: 'box',
    layout: 'vertical',
    margin: 'md',
    contents: rows.map((r) => ({
      type: 'box' as const,
      layout: 'horizontal' as const,
      contents: [text(r.label, { size, color: '#6b7280', flex: labelFlex }), text(r.value, { size, align: 'end', flex: valueFlex })],
    })),
  };
}

/** One report card as a Flex bubble: chart on top, name, price and change, the call badge, scores, the why, a button. */
export function lineCardBubble(card: ReportCard): FlexBubble {
  const t = CHAT_TEXTS[card.language];
  const body: FlexComponent[] = [
    text(card.ticker, { weight: 'bold', size: 'xl', wrap: false }),
    text(card.company_name, { size: 'sm', color: '#6b7280' }),
    {
      type: 'box',
      layout: 'horizontal',
      margin: 'md',
      contents: [
        text(card.price, { weight: 'bold', size: 'lg', flex: 3 }),
        text(card.change ?? '—', { color: DIRECTION_COLOURS[card.direction], align: 'end', gravity: 'center', flex: 2 }),
      ],
    },
    {
      type: 'box',
      layout: 'horizontal',
      margin: 'md',
      spacing: 'md',
      contents: [
        {
          type: 'box',
          layout: 'vertical',
          backgroundColor: CALL_COLOURS[card.recommendation],
          cornerRadius: 'md',
          paddingAll: 'sm',
          flex: 0,
          contents: [text(card.call, { color: '#ffffff', weight: 'bold', align: 'center', wrap: false })],
        },
        text(card.stance_line, { size: 'sm', gravity: 'center', color: '#374151' }),
      ],
    },
  ];
  if (card.scores.length > 0) body.push(labelValueRows(card.scores, 'sm', [3, 2]));
  if (card.fundamentals.length > 0) body.push(labelValueRows(card.fundamentals, 'xs', [2, 3]));
  if (card.why) body.push(text(card.why, { size: 'sm', margin: 'md', maxLines: 6 }));
  body.push(text(`${t.asOf(card.as_of)}${card.demo ? ` · ${t.demo}` : ''}`, { size: 'xxs', color: card.demo ? '#b45309' : '#9ca3af', margin: 'md' }));
  const bubble: FlexBubble = {
    type: 'bubble',
    size: 'mega',
    body: { type: 'box', layout: 'vertical', contents: body },
    footer: {
      type: 'box',
      layout: 'vertical',
      contents: [{ type: 'button', style: 'primary', height: 'sm', action: { type: 'uri', label: t.openReport, uri: card.report_url } }],
    },
  };
  if (card.chart_url) {
    bubble.hero = { type: 'image', url: card.chart_url, size: 'full', aspectRatio: '3:2', aspectMode: 'fit', action: { type: 'uri', label: t.openReport, uri: card.report_url } };
  }
  return bubble;
}

/** What a notification and a chat list show for a card. */
export function cardAltText(card: ReportCard): string {
  return `${card.ticker} ${card.price}${card.change ? ` (${card.change})` : ''} · ${card.call}`.slice(0, LINE_LIMITS.altTextChars);
}

/** Cards are immutable and the chat's are cached per report and language, so each is drawn as Flex once. */
const cardMessages = new WeakMap<ReportCard, Message>();

export function lineCardMessage(card: ReportCard): Message {
  let message = cardMessages.get(card);
  if (!message) cardMessages.set(card, (message = { type: 'flex', altText: cardAltText(card), contents: lineCardBubble(card) }));
  return message;
}

export function lineTextMessages(body: string): Message[] {
  return splitText(body, LINE_LIMITS.textChars).map((part) => ({ type: 'text', text: part }));
}

/**
 * A digest as LINE messages: the brief as text (split at 5,000 characters), then the watchlist as carousels of
 * Flex bubbles; grouped into pushes of at most five messages. Nothing is dropped: a long digest is more pushes.
 */
export function lineDigestPushes(digest: Digest): Message[][] {
  const head = digestHead(digest);
  const messages: Message[] = lineTextMessages(head);
  const cards = digest.items.map((item) => digestCardOf(item, digest.language));
  for (let i = 0; i < cards.length; i += LINE_LIMITS.bubblesPerCarousel) {
    const group = cards.slice(i, i + LINE_LIMITS.bubblesPerCarousel);
    messages.push({
      type: 'flex',
      altText: group.map(cardAltText).join('\n').slice(0, LINE_LIMITS.altTextChars),
      contents: group.length === 1 ? lineCardBubble(group[0]!) : { type: 'carousel', contents: group.map(lineCardBubble) },
    });
  }
  const pushes: Message[][] = [];
  for (let i = 0; i < messages.length; i += LINE_LIMITS.messagesPerCall) pushes.push(messages.slice(i, i + LINE_LIMITS.messagesPerCall));
  return pushes;
}
