import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeIndicatorSeries } from '../report/indicators.js';
import { loadFixtureBars } from '../report/indicator-reference.test-support.js';
import type { DailyBar } from '../report/daily-bar.js';
import { createCanvas } from '@napi-rs/canvas';
import { CHART_FONT_FAMILY, measureChartText, registerChartFonts } from './chart-fonts.js';
import { encodePng } from './encode-png.js';
import {
  buildChartOption,
  CHART_BARS,
  CHART_COLORS,
  CHART_HEIGHT,
  CHART_PANELS,
  CHART_WIDTH,
  renderChartPng,
  type ChartInput,
} from './render-chart.js';

interface Image {
  width: number;
  height: number;
  data: Buffer;
}

function decode(png: Buffer): Image {
  return PNG.sync.read(png);
}

function hex(color: string): [number, number, number] {
  const v = Number.parseInt(color.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

/** Pixels within `tolerance` per channel of `color`, in rows [top, bottom) and columns [left, right). */
function countColor(
  img: Image,
  color: string,
  rows: { top: number; bottom: number },
  cols = { left: 0, right: img.width },
  tolerance = 10,
): number {
  const [r, g, b] = hex(color);
  let n = 0;
  for (let y = rows.top; y < rows.bottom; y++) {
    for (let x = cols.left; x < cols.right; x++) {
      const i = (y * img.width + x) * 4;
      if (
        Math.abs(img.data[i]! - r) <= tolerance &&
        Math.abs(img.data[i + 1]! - g) <= tolerance &&
        Math.abs(img.data[i + 2]! - b) <= tolerance
      ) {
        n++;
      }
    }
  }
  return n;
}

/** Pixels that are not (near) white: "ink". */
function countInk(img: Image, box = { top: 0, bottom: img.height, left: 0, right: img.width }): number {
  let n = 0;
  for (let y = box.top; y < box.bottom; y++) {
    for (let x = box.left; x < box.right; x++) {
      const i = (y * img.width + x) * 4;
      if (img.data[i]! < 200 || img.data[i + 1]! < 200 || img.data[i + 2]! < 200) n++;
    }
  }
  return n;
}

/** Horizontal extent of the ink, or null when there is none. */
function inkColumns(img: Image): { left: number; right: number } | null {
  let left = Number.POSITIVE_INFINITY;
  let right = -1;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const i = (y * img.width + x) * 4;
      if (img.data[i]! < 128) {
        left = Math.min(left, x);
        right = Math.max(right, x);
      }
    }
  }
  return right < 0 ? null : { left, right };
}

/** Widest run of blank columns between the first and last inked column of the rows [top, bottom). */
function widestBlankRun(img: Image, top: number, bottom: number): number {
  const inked: boolean[] = [];
  for (let x = 0; x < img.width; x++) {
    let ink = false;
    for (let y = top; y < bottom && !ink; y++) ink = img.data[(y * img.width + x) * 4]! < 200;
    inked.push(ink);
  }
  const first = inked.indexOf(true);
  const last = inked.lastIndexOf(true);
  let widest = 0;
  let run = 0;
  for (let x = first; x <= last; x++) {
    run = inked[x] ? 0 : run + 1;
    widest = Math.max(widest, run);
  }
  return widest;
}

const band = (p: { top: number; height: number }) => ({ top: p.top, bottom: p.top + p.height });

/** `text` drawn at x = 10 on a white canvas in the chart font, the way ECharts draws it. */
function drawText(text: string, fontSize: number, width = 900, height = 120): Image {
  registerChartFonts();
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#000000';
  ctx.font = `${fontSize}px ${CHART_FONT_FAMILY}`;
  ctx.fillText(text, 10, Math.round(height * 0.7));
  return { width, height, data: canvas.data() };
}

describe('renderChartPng', () => {
  let bars: DailyBar[];
  let input: ChartInput;
  let png: Buffer;
  let img: Image;

  beforeAll(async () => {
    bars = loadFixtureBars('NVDA', 400);
    input = { title: 'NVIDIA Corporation', symbol: 'NVDA', currency: 'USD', bars };
    png = await renderChartPng(input);
    img = decode(png);
  });

  it('produces a 1200×800 PNG (signature and IHDR read by hand)', () => {
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.readUInt32BE(8)).toBe(13); // IHDR is always the first chunk, 13 bytes long
    expect(png.toString('latin1', 12, 16)).toBe('IHDR');
    expect(png.readUInt32BE(16)).toBe(CHART_WIDTH);
    expect(png.readUInt32BE(20)).toBe(CHART_HEIGHT);
    expect(png.toString('latin1', png.length - 8, png.length - 4)).toBe('IEND');
    expect(img.width).toBe(1200);
    expect(img.height).toBe(800);
  });

  it('draws each of the four panels inside its own band', () => {
    const price = band(CHART_PANELS.price);
    const volume = band(CHART_PANELS.volume);
    const rsi = band(CHART_PANELS.rsi);
    const macd = band(CHART_PANELS.macd);

    // Price: candles of both directions and the three moving averages.
    expect(countColor(img, CHART_COLORS.up, price)).toBeGreaterThan(200);
    expect(countColor(img, CHART_COLORS.down, price)).toBeGreaterThan(100);
    expect(countColor(img, CHART_COLORS.sma20, price)).toBeGreaterThan(100);
    expect(countColor(img, CHART_COLORS.sma50, price)).toBeGreaterThan(100);
    expect(countColor(img, CHART_COLORS.sma200, price)).toBeGreaterThan(100);
    // Volume: bars coloured by direction.
    expect(countColor(img, CHART_COLORS.up, volume)).toBeGreaterThan(1000);
    expect(countColor(img, CHART_COLORS.down, volume)).toBeGreaterThan(500);
    // RSI line, and the dashed 30/70 guides.
    expect(countColor(img, CHART_COLORS.rsi, rsi)).toBeGreaterThan(100);
    expect(countColor(img, CHART_COLORS.guide, rsi, { left: 30, right: 1100 }, 20)).toBeGreaterThan(300);
    // MACD: line, signal and histogram.
    expect(countColor(img, CHART_COLORS.macd, macd)).toBeGreaterThan(100);
    expect(countColor(img, CHART_COLORS.macdSignal, macd)).toBeGreaterThan(100);
    expect(countColor(img, CHART_COLORS.up, macd) + countColor(img, CHART_COLORS.down, macd)).toBeGreaterThan(100);

    // Nothing spills across bands: each indicator colour stays out of the other panels.
    expect(countColor(img, CHART_COLORS.rsi, { top: 0, bottom: rsi.top - 20 })).toBe(0);
    expect(countColor(img, CHART_COLORS.rsi, macd)).toBe(0);
    expect(countColor(img, CHART_COLORS.macdSignal, { top: 0, bottom: macd.top })).toBe(0);
    expect(countColor(img, CHART_COLORS.sma20, { top: price.bottom, bottom: img.height })).toBe(0);
    // The gaps between panels hold only labels (grey text), no bars or candles.
    for (const gap of [
      { top: price.bottom + 1, bottom: volume.top - 1 },
      { top: volume.bottom + 1, bottom: rsi.top - 1 },
      { top: rsi.bottom + 1, bottom: macd.top - 1 },
    ]) {
      expect(countColor(img, CHART_COLORS.up, gap, undefined, 40)).toBe(0);
      expect(countColor(img, CHART_COLORS.down, gap, undefined, 40)).toBe(0);
    }
  });

  it('draws the title text', () => {
    expect(countInk(img, { top: 8, bottom: 36, left: 20, right: 400 })).toBeGreaterThan(500);
    // The day's change is red for NVDA on 2024-03-08 (875.28 after 926.69).
    expect(countColor(img, CHART_COLORS.down, { top: 8, bottom: 36 }, undefined, 40)).toBeGreaterThan(50);
  });

  it('is deterministic: the same input gives the same bytes', async () => {
    expect((await renderChartPng(input)).equals(png)).toBe(true);
  });

  it('renders a Thai title and subtitle', async () => {
    const thai = await renderChartPng({
      ...input,
      title: 'เอ็นวิเดีย คอร์ปอเรชั่น',
      subtitle: 'ข้อมูลสาธิต',
      language: 'th',
    });
    const thaiImg = decode(thai);
    const header = { top: 0, bottom: 56, left: 0, right: 1200 };
    expect(countInk(thaiImg, header)).toBeGreaterThan(1000);
    // The subtitle 'ข้อมูลสาธิต' starts the second header line.
    expect(countInk(thaiImg, { top: 40, bottom: 56, left: 20, right: 90 })).toBeGreaterThan(50);
    expect(thai.equals(png)).toBe(false);
    // Name, price and change sit next to each other: ECharts measured the Thai name as drawn (its own guess puts
    // ~1 em per Thai character and opens a wide hole before the price).
    expect(widestBlankRun(thaiImg, 10, 34)).toBeLessThan(25);
    expect(widestBlankRun(img, 10, 34)).toBeLessThan(25);
  });

  it('copes with a short history: no SMA 50/200, no crash', async () => {
    const short = bars.slice(-40);
    const option = buildChartOption({ ...input, bars: short }) as { series: { name?: string }[] };
    const names = option.series.map((s) => s.name);
    expect(names).toContain('SMA 20');
    expect(names).not.toContain('SMA 50');
    expect(names).not.toContain('SMA 200');
    const shortImg = decode(await renderChartPng({ ...input, bars: short }));
    expect(shortImg.width).toBe(1200);
    expect(countColor(shortImg, CHART_COLORS.sma200, band(CHART_PANELS.price))).toBe(0);
    expect(countColor(shortImg, CHART_COLORS.up, band(CHART_PANELS.price))).toBeGreaterThan(100);
  });

  it('keeps memory flat over many charts (native canvas memory is released between charts)', async () => {
    for (let i = 0; i < 5; i++) await renderChartPng(input);
    const before = process.memoryUsage().rss;
    for (let i = 0; i < 60; i++) await renderChartPng(input);
    // Each chart holds ~8 MB of native memory until its finalizers run: 60 kept would add ~480 MB.
    expect((process.memoryUsage().rss - before) / 2 ** 20).toBeLessThan(150);
  });

  it('renders a single bar, and refuses none', async () => {
    expect(decode(await renderChartPng({ ...input, bars: bars.slice(-1) })).height).toBe(800);
    expect(() => buildChartOption({ ...input, bars: [] })).toThrow(/no bars/);
  });
});

describe('buildChartOption', () => {
  const bars = loadFixtureBars('NVDA', 400);
  const input: ChartInput = { title: 'NVIDIA Corporation', symbol: 'NVDA', currency: 'USD', bars };
  type Series = { name?: string; type: string; data: unknown[] };
  type Option = {
    animation: boolean;
    title: { text: string; subtext: string };
    series: Series[];
    xAxis: { data: string[]; axisLabel: { formatter: (v: string, i: number) => string } }[];
    grid: unknown[];
  };
  const option = buildChartOption(input) as unknown as Option;
  const byName = (name: string) => option.series.find((s) => s.name === name)!;

  it('has four grids sharing the last 120 dates, no animation', () => {
    expect(option.animation).toBe(false);
    expect(option.grid).toHaveLength(4);
    expect(option.xAxis).toHaveLength(4);
    const dates = bars.slice(-CHART_BARS).map((b) => b.date);
    for (const axis of option.xAxis) expect(axis.data).toEqual(dates);
    expect(byName('NVDA').type).toBe('candlestick');
    expect(byName('NVDA').data).toHaveLength(CHART_BARS);
  });

  it('takes indicators from the full history, then slices', () => {
    const ind = computeIndicatorSeries(bars);
    const sma200 = byName('SMA 200').data as (number | null)[];
    expect(sma200).toHaveLength(CHART_BARS);
    // With 400 bars every shown SMA 200 exists; computed on the window alone it would not.
    expect(sma200.every((v) => v !== null)).toBe(true);
    expect(sma200.at(-1)).toBe(ind.sma200[bars.length - 1]);
    expect((byName('RSI 14').data as number[]).at(-1)).toBe(ind.rsi14[bars.length - 1]);
    expect((byName('Signal 9').data as number[]).at(-1)).toBe(ind.macdSignal[bars.length - 1]);
  });

  it('titles with name, symbol, price, currency and the day change', () => {
    // 2024-03-07 close 926.690002, 2024-03-08 close 875.280029.
    expect(option.title.text).toContain('NVIDIA Corporation (NVDA)');
    expect(option.title.text).toContain('875.28 USD');
    expect(option.title.text).toContain('−51.41 (−5.55%)');
    expect(option.title.subtext).toContain('2024-03-08');
  });

  it('colours volume by close vs open', () => {
    const up = byName('Volume up') as Series & { itemStyle: { color: string } };
    const down = byName('Volume down') as Series & { itemStyle: { color: string } };
    expect(up.itemStyle.color).toBe(CHART_COLORS.up);
    expect(down.itemStyle.color).toBe(CHART_COLORS.down);
    const shown = bars.slice(-CHART_BARS);
    shown.forEach((b, i) => {
      const rising = b.close >= b.open;
      expect(up.data[i]).toBe(rising ? b.volume : null);
      expect(down.data[i]).toBe(rising ? null : b.volume);
    });
  });

  it('labels dates in the chosen language', () => {
    const th = buildChartOption({ ...input, language: 'th' }) as unknown as Option;
    expect(th.xAxis[3]!.axisLabel.formatter('2024-03-08', 0)).toBe('8 มี.ค. 2024');
    expect(option.xAxis[3]!.axisLabel.formatter('2024-03-08', 5)).toBe('8 Mar');
    expect(th.series.map((s) => s.name)).toContain('ปริมาณการซื้อขาย up');
  });

  it('keeps rich-text markup characters in names from breaking the title', () => {
    const odd = buildChartOption({ ...input, title: 'A{b|c}' }) as unknown as Option;
    expect(odd.title.text).toMatch(/^\{name\|A b c\s+\(NVDA\)\}/);
  });
});

describe('chart fonts', () => {
  it('draws Thai glyphs from the bundled font (not blanks, not identical .notdef boxes)', () => {
    const a = drawText('กขค', 48);
    const b = drawText('คขก', 48);
    expect(countInk(a)).toBeGreaterThan(300);
    expect(a.data.equals(b.data)).toBe(false);
  });

  it('measures text as it is drawn, so ECharts lays Thai out right', () => {
    // 'ทำการ' holds SARA AM, whose advance other shapers got wrong (its "aa" part landed on the next letter).
    for (const text of ['ข้อมูลสาธิต วันทำการ', 'NVIDIA Corporation 875.28', 'ทำการ']) {
      const measured = measureChartText(text, `40px ${CHART_FONT_FAMILY}`).width;
      const ink = inkColumns(drawText(text, 40))!;
      // Ink is narrower than the advance by the side bearings of the first and last glyphs.
      expect(Math.abs(ink.right + 1 - 10 - measured)).toBeLessThan(8);
      expect(ink.left - 10).toBeLessThan(5);
    }
    // Thai marks above and below take no width: 'ข้อ' is as wide as 'ขอ'.
    expect(measureChartText('ข้อ', `40px ${CHART_FONT_FAMILY}`).width).toBeCloseTo(
      measureChartText('ขอ', `40px ${CHART_FONT_FAMILY}`).width,
      1,
    );
    expect(measureChartText('A', `bold 20px ${CHART_FONT_FAMILY}`).width).toBeGreaterThan(
      measureChartText('A', `20px ${CHART_FONT_FAMILY}`).width,
    );
  });
});

describe('encodePng', () => {
  it('writes pixels a PNG decoder reads back exactly', () => {
    const width = 7;
    const height = 5;
    const rgba = new Uint8Array(width * height * 4).map((_, i) => (i * 37) % 256);
    const decoded = decode(encodePng(rgba, width, height));
    expect([decoded.width, decoded.height]).toEqual([width, height]);
    expect([...decoded.data]).toEqual([...rgba]);
  });

  it('refuses a buffer of the wrong size', () => {
    expect(() => encodePng(new Uint8Array(10), 2, 2)).toThrow(/expected 16 bytes/);
  });
});
