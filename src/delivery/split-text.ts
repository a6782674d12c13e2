import type { Digest } from './delivery-channel.js';
import { CHAT_TEXTS } from './chat-texts.js';

/**
 * Cuts a text into parts of at most `max` characters (UTF-16 code units, as LINE and Telegram count), never losing
 * a character: at a blank line if one falls in the second half of the part, else at a line break, else at a space,
 * else between two code points (never inside a surrogate pair).
 */
export function splitText(text: string, max: number): string[] {
  if (max < 2) throw new RangeError('splitText: max must be at least 2');
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max);
    const half = Math.floor(max / 2);
    let cut = -1;
    for (const sep of ['\n\n', '\n', ' ']) {
      const at = window.lastIndexOf(sep);
      if (at >= half) {
        cut = at;
        break;
      }
    }
    let next: number;
    if (cut >= 0) {
      next = cut;
    } else {
      next = max;
      const code = rest.charCodeAt(max - 1);
      if (code >= 0xd800 && code <= 0xdbff) next = max - 1; // keep a surrogate pair together
    }
    parts.push(rest.slice(0, next).trimEnd());
    rest = rest.slice(next).replace(/^[\n ]+/, '');
  }
  if (rest.trim() !== '' || parts.length === 0) parts.push(rest);
  return parts.filter((p) => p !== '');
}

/** Markdown as chat text: headings and emphasis marks dropped, blockquote markers removed, links as "text (url)". */
export function markdownToChatText(markdown: string): string {
  return markdown
    .split('\n')
    .map((line) =>
      line
        .replace(/^#{1,6}\s+/, '')
        .replace(/^>\s?/, '')
        .replace(/\*\*|__/g, '')
        .replace(/\[([^\]]+)\]\((https?:[^)]+)\)/g, '$1 ($2)')
        .trimEnd(),
    )
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** A digest's opening text in chat: title, the demo note, the brief, and the watchlist tickers without a report today. */
export function digestHead(digest: Digest): string {
  const t = CHAT_TEXTS[digest.language];
  return [
    t.digestTitle(digest.business_date),
    digest.demo ? t.demo : '',
    markdownToChatText(digest.brief.narrative),
    digest.unavailable.length > 0 ? t.noReportToday(digest.unavailable) : '',
  ]
    .filter(Boolean)
    .join('\n\n');
}
