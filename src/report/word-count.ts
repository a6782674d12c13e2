/**
 * Word counts for narrative length targets. Thai has no spaces between words, so words are counted with ICU word
 * segmentation (`Intl.Segmenter`), counting only word-like segments: punctuation, spaces, emoji and Markdown marks
 * do not count; numbers and Latin words count as one word each.
 */
import type { Language } from './narrative-contract.js';

const segmenters = new Map<Language, Intl.Segmenter>();

function segmenterFor(language: Language): Intl.Segmenter {
  let s = segmenters.get(language);
  if (!s) {
    s = new Intl.Segmenter(language, { granularity: 'word' });
    segmenters.set(language, s);
  }
  return s;
}

/** Number of word-like segments in `text` under `language`'s word segmentation. */
export function countWords(text: string, language: Language): number {
  let n = 0;
  for (const seg of segmenterFor(language).segment(text)) if (seg.isWordLike) n++;
  return n;
}
