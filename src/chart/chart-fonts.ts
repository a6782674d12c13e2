/**
 * The chart's only fonts: the Sarabun files shipped in node_modules (Latin + Thai, OFL), registered with Skia under
 * one family name. Every chart text names that family, so a fresh machine with no system fonts draws the same chart
 * (system fallbacks differ between machines and misplace Thai tone marks). Paths go through the module resolver so
 * they work from src/ under vitest and from dist/ alike.
 */
import { createRequire } from 'node:module';
import { createCanvas, GlobalFonts, type SKRSContext2D } from '@napi-rs/canvas';

const require = createRequire(import.meta.url);

/** The family name every chart text uses. */
export const CHART_FONT_FAMILY = 'Sarabun';

export const CHART_FONT_FILES: readonly string[] = [
  require.resolve('@expo-google-fonts/sarabun/400Regular/Sarabun_400Regular.ttf'),
  require.resolve('@expo-google-fonts/sarabun/700Bold/Sarabun_700Bold.ttf'),
];

let measuringContext: SKRSContext2D | undefined;

/** Registers the bundled fonts with Skia (once per process: chart worker threads share its font collection). */
export function registerChartFonts(): void {
  if (measuringContext !== undefined) return;
  if (!GlobalFonts.has(CHART_FONT_FAMILY)) for (const file of CHART_FONT_FILES) {
    if (GlobalFonts.registerFromPath(file, CHART_FONT_FAMILY) === null) {
      throw new Error(`cannot load the chart font ${file}`);
    }
  }
  measuringContext = createCanvas(1, 1).getContext('2d');
}

/**
 * Text width in px exactly as Skia will draw it (shaped, so Thai marks take no advance). ECharts lays text out with
 * this; its own fallback guesses every non-ASCII character as 1 em wide and opens holes after Thai strings.
 * `font` is a CSS font shorthand such as "bold 20px Sarabun".
 */
export function measureChartText(text: string, font?: string): { width: number } {
  registerChartFonts();
  measuringContext!.font = font ?? `12px ${CHART_FONT_FAMILY}`;
  return { width: measuringContext!.measureText(text).width };
}
