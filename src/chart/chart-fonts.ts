/**
 * Fonts and rasterising for charts.
 *
 * resvg draws nothing for text whose font it cannot find, and system fonts differ between machines (and misplace Thai
 * tone marks), so system fonts are never loaded: only the Sarabun files shipped in node_modules (Latin + Thai, OFL).
 * Paths are resolved through the module resolver so they work from src/ under vitest and from dist/ alike.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { renderAsync, type ResvgRenderOptions } from '@resvg/resvg-js';

const require = createRequire(import.meta.url);

/** The family name inside the Sarabun font files; every chart text uses it. */
export const CHART_FONT_FAMILY = 'Sarabun';

export const CHART_FONT_FILES: readonly string[] = [
  require.resolve('@expo-google-fonts/sarabun/400Regular/Sarabun_400Regular.ttf'),
  require.resolve('@expo-google-fonts/sarabun/700Bold/Sarabun_700Bold.ttf'),
];

/** Horizontal advances (in em) per code point, read from a TrueType font's cmap (format 4) and hmtx tables. */
export interface FontMetrics {
  advance(codePoint: number): number;
}

export function readFontMetrics(font: Buffer): FontMetrics {
  const tables = new Map<string, number>();
  const numTables = font.readUInt16BE(4);
  for (let i = 0; i < numTables; i++) {
    const rec = 12 + 16 * i;
    tables.set(font.toString('latin1', rec, rec + 4), font.readUInt32BE(rec + 8));
  }
  const table = (tag: string): number => {
    const offset = tables.get(tag);
    if (offset === undefined) throw new Error(`font has no ${tag} table`);
    return offset;
  };
  const unitsPerEm = font.readUInt16BE(table('head') + 18);
  const numberOfHMetrics = font.readUInt16BE(table('hhea') + 34);
  const hmtx = table('hmtx');
  const advanceOf = (glyph: number): number =>
    font.readUInt16BE(hmtx + 4 * Math.min(glyph, numberOfHMetrics - 1)) / unitsPerEm;

  // The Unicode BMP subtable: (3,1) or (0,x), format 4.
  const cmap = table('cmap');
  let sub = -1;
  for (let i = 0; i < font.readUInt16BE(cmap + 2); i++) {
    const rec = cmap + 4 + 8 * i;
    const platform = font.readUInt16BE(rec);
    const encoding = font.readUInt16BE(rec + 2);
    const at = cmap + font.readUInt32BE(rec + 4);
    if ((platform === 3 && encoding === 1) || platform === 0) {
      if (font.readUInt16BE(at) === 4) sub = at;
    }
  }
  if (sub < 0) throw new Error('font has no format-4 Unicode cmap');
  const segCount = font.readUInt16BE(sub + 6) / 2;
  const endCodes = sub + 14;
  const startCodes = endCodes + 2 * segCount + 2;
  const idDeltas = startCodes + 2 * segCount;
  const idRangeOffsets = idDeltas + 2 * segCount;
  const glyphOf = (c: number): number => {
    if (c > 0xffff) return 0;
    for (let i = 0; i < segCount; i++) {
      if (c > font.readUInt16BE(endCodes + 2 * i)) continue;
      const start = font.readUInt16BE(startCodes + 2 * i);
      if (c < start) return 0;
      const delta = font.readUInt16BE(idDeltas + 2 * i);
      const rangeOffset = font.readUInt16BE(idRangeOffsets + 2 * i);
      if (rangeOffset === 0) return (c + delta) & 0xffff;
      const glyph = font.readUInt16BE(idRangeOffsets + 2 * i + rangeOffset + 2 * (c - start));
      return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
    }
    return 0;
  };

  const cache = new Map<number, number>();
  return {
    advance(codePoint: number): number {
      let a = cache.get(codePoint);
      if (a === undefined) {
        a = advanceOf(glyphOf(codePoint));
        cache.set(codePoint, a);
      }
      return a;
    },
  };
}

/**
 * resvg's shaper gives Sarabun's SARA AM (U+0E33) no advance, so its "aa" part lands on the next letter ("ทำการ"
 * reads wrong). Its compatibility decomposition NIKHAHIT + SARA AA draws the same shape with the right spacing.
 */
export function decomposeSaraAm(text: string): string {
  return text.replace(/\u0E33/g, '\u0E4D\u0E32');
}

let metrics: { regular: FontMetrics; bold: FontMetrics } | undefined;

/**
 * Text width in px as resvg will draw it (advances only; no kerning). ECharts lays text out with this, and its own
 * fallback guesses every non-ASCII character as 1 em wide, which pushes anything after a Thai string far right.
 * `font` is a CSS font shorthand such as "bold 20px Sarabun".
 */
export function measureChartText(text: string, font?: string): { width: number } {
  metrics ??= {
    regular: readFontMetrics(readFileSync(CHART_FONT_FILES[0]!)),
    bold: readFontMetrics(readFileSync(CHART_FONT_FILES[1]!)),
  };
  const size = Number(/(\d+(?:\.\d+)?)px/.exec(font ?? '')?.[1] ?? 12);
  const bold = /\b(bold|bolder|[6-9]00)\b/.test(font ?? '');
  const m = bold ? metrics.bold : metrics.regular;
  let width = 0;
  for (const ch of decomposeSaraAm(text)) width += m.advance(ch.codePointAt(0)!);
  return { width: width * size };
}

const RESVG_OPTIONS: ResvgRenderOptions = {
  font: {
    loadSystemFonts: false,
    fontFiles: [...CHART_FONT_FILES],
    defaultFontFamily: CHART_FONT_FAMILY,
    sansSerifFamily: CHART_FONT_FAMILY,
    serifFamily: CHART_FONT_FAMILY,
    monospaceFamily: CHART_FONT_FAMILY,
  },
  fitTo: { mode: 'original' },
  background: '#ffffff',
  logLevel: 'off',
};

/**
 * SVG → PNG with the bundled fonts only. Uses renderAsync: resvg-js's synchronous `Resvg#render()` leaks ~4.7 MB
 * per call (DESIGN §9), which a precompute run of thousands of charts cannot afford.
 */
export async function rasterizeSvg(svg: string): Promise<Buffer> {
  const image = await renderAsync(decomposeSaraAm(svg), RESVG_OPTIONS);
  return image.asPng();
}
