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

// Thai segmentation is dictionary-based and costs ~1 ms per KB, and one report counts the same paragraphs several
// times (writer, narrate, quality scores): lines are counted once and remembered. Words never span a line break, so
// a text's count is the sum of its lines'. Bounded: cleared when full.
const MAX_REMEMBERED_LINES = 4096;
const lineCounts = new Map<string, number>();

function countLine(line: string, language: Language): number {
  const key = `${language}\u0000${line}`;
  let n = lineCounts.get(key);
  if (n === undefined) {
    n = 0;
    for (const seg of segmenterFor(language).segment(line)) if (seg.isWordLike) n++;
    if (lineCounts.size >= MAX_REMEMBERED_LINES) lineCounts.clear();
    lineCounts.set(key, n);
  }
  return n;
}

/** Number of word-like segments in `text` under `language`'s word segmentation. */
export function countWords(text: string, language: Language): number {
  let n = 0;
  for (const line of text.split('\n')) if (line.length > 0) n += countLine(line, language);
  return n;
}
