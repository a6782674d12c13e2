import type { messagingApi } from '@line/bot-sdk';
import { LINE_LIMITS, lineCardMessage, lineTextMessages } from '../delivery/line-messages.js';
import { type TelegramMessage, telegramCardMessages, telegramTextMessages } from '../delivery/telegram-messages.js';
import type { ChatReply } from './chat-handler.js';

/** Chat replies as one LINE reply call (at most five messages: a reply token is good for one call). */
export function lineReplyMessages(replies: ChatReply[]): messagingApi.Message[] {
  return replies.flatMap((r) => (r.kind === 'card' ? [lineCardMessage(r.card)] : lineTextMessages(r.text))).slice(0, LINE_LIMITS.messagesPerCall);
}

export function telegramReplyMessages(replies: ChatReply[]): TelegramMessage[] {
  return replies.flatMap((r) => (r.kind === 'card' ? telegramCardMessages(r.card) : telegramTextMessages(r.text)));
}
