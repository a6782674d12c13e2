/**
 * `summary_sections` of a report, cut from its narrative: the first sentences of "what you need to know" (key
 * takeaways), of "the story" (price drivers) and of "what to watch" (risks).
 *
 * Sections are found by their `## ` headings (the contract's headings in either language; failing that, by position:
 * first = story, second = know, fourth = watch). Blockquotes (the demo-data note), headings, rules and the disclaimer
 * are skipped, Markdown emphasis is removed. Sentences are split as in sentences.ts; in Thai, where a space marks a
 * clause as often as a sentence, clauses shorter than eight words are joined to the next so each item is a whole
 * thought. Up to three sentences per list.
 */
import { DISCLAIMERS, SECTION_HEADINGS, type Language, type NarrativeSection } from './narrative-contract.js';
import { mergeShortClauses, splitSentences } from './sentences.js';

export interface SummarySections {
  key_takeaways: string[];
  price_drivers: string[];
  risks_to_watch: string[];
}

const MAX_ITEMS = 3;

function sectionOf(heading: string): NarrativeSection | null {
  for (const lang of ['th', 'en'] as const) {
    for (const [key, text] of Object.entries(SECTION_HEADINGS[lang])) {
      if (heading.trim() === text) return key as NarrativeSection;
    }
  }
  return null;
}

function plain(line: string): string {
  return line
    .replace(/\*\*|__/g, '')
    .replace(/(^|\s)_(\S[^_]*\S|\S)_(?=\s|$|[.,;:!?])/g, '$1$2')
    .replace(/^\s*(?:[-*+]|\d+[.)])\s+/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export function extractSummarySections(markdown: string, language: Language): SummarySections {
  const bodies: { section: NarrativeSection | null; lines: string[] }[] = [];
  let current: { section: NarrativeSection | null; lines: string[] } | null = null;
  for (const line of markdown.split('\n')) {
    const h = /^##\s+(.*)$/.exec(line);
    if (h) {
      current = { section: sectionOf(h[1]!), lines: [] };
      bodies.push(current);
    } else if (current) {
      current.lines.push(line);
    }
  }
  const byPosition: (NarrativeSection | null)[] = ['story', 'know', 'action', 'watch'];
  const disclaimers = Object.values(DISCLAIMERS);

  const sentencesOf = (section: NarrativeSection): string[] => {
    const body = bodies.find((b) => b.section === section) ?? (bodies.every((b) => b.section === null) ? bodies[byPosition.indexOf(section)] : undefined);
    if (!body) return [];
    const out: string[] = [];
    for (const raw of body.lines) {
      const trimmed = raw.trim();
      if (!trimmed || trimmed.startsWith('>') || trimmed.startsWith('#') || /^(-{3,}|\*{3,}|_{3,})$/.test(trimmed)) continue;
      const line = plain(trimmed);
      if (!line || disclaimers.some((d) => line.includes(d))) continue;
      const pieces = splitSentences(line, language).map((p) => p.text.trim()).filter(Boolean);
      out.push(...(language === 'th' ? mergeShortClauses(pieces, language) : pieces));
      if (out.length >= MAX_ITEMS) break;
    }
    return out.slice(0, MAX_ITEMS);
  };

  return { key_takeaways: sentencesOf('know'), price_drivers: sentencesOf('story'), risks_to_watch: sentencesOf('watch') };
}
