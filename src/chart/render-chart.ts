/**
 * Server-side daily chart: ECharts' canvas renderer drawing on a Skia canvas (@napi-rs/canvas) → 1200×800 PNG.
 * (The SVG route through resvg took ~140 ms a chart; this one ~45 ms to draw and ~10 ms to encode.)
 *
 * Four stacked panels sharing one date axis: price (candles, SMA 20/50/200, Bollinger 20/2 band), volume (coloured
 * by close vs open), RSI 14 (30/70 lines), MACD 12/26/9 (line, signal, histogram). Indicators are computed on the
 * full history and only then sliced, so SMA 200 and the EMA seeds are the same as in the report.
 */
import * as echarts from 'echarts/core';
import { BarChart, CandlestickChart, LineChart } from 'echarts/charts';
import { GraphicComponent, GridComponent, LegendComponent, MarkLineComponent, TitleComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { createCanvas } from '@napi-rs/canvas';
import { setImmediate as nextEventLoopTurn } from 'node:timers/promises';
import type { EChartsCoreOption } from 'echarts/core';
import type { DailyBar } from '../report/daily-bar.js';
import { computeIndicatorSeries } from '../report/indicators.js';
import { CHART_FONT_FAMILY, measureChartText, registerChartFonts } from './chart-fonts.js';
import { encodePng } from './encode-png.js';

echarts.use([
  BarChart,
  CandlestickChart,
  LineChart,
  GraphicComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
  CanvasRenderer,
]);
// Every chart text is drawn in the bundled font, so ECharts measures with Skia too (process-wide; this module is the
// only ECharts user). ECharts asks for scratch canvases (e.g. for patterns) through createCanvas.
echarts.setPlatformAPI({
  measureText: measureChartText,
  createCanvas: () => createCanvas(1, 1) as unknown as HTMLCanvasElement,
});

export interface ChartInput {
  /** Display name, e.g. the company name (may be Thai). */
  title: string;
  symbol: string;
  currency: string;
  /** Full daily history, oldest first; the last CHART_BARS are drawn. */
  bars: readonly DailyBar[];
  language?: 'th' | 'en';
  subtitle?: string;
}

export const CHART_WIDTH = 1200;
export const CHART_HEIGHT = 800;
export const CHART_BARS = 120;

/** Pixel rows of each panel's plotting area (tests read the bands from here). */
export const CHART_PANELS = {
  price: { top: 88, height: 344 },
  volume: { top: 452, height: 80 },
  rsi: { top: 552, height: 84 },
  macd: { top: 656, height: 104 },
} as const;

const GRID_LEFT = 20;
const GRID_RIGHT = 76;

export const CHART_COLORS = {
  up: '#16a34a',
  down: '#dc2626',
  sma20: '#f59e0b',
  sma50: '#2563eb',
  sma200: '#9333ea',
  bbLine: '#94a3b8',
  bbFill: 'rgba(148, 163, 184, 0.16)',
  rsi: '#7c3aed',
  macd: '#0284c7',
  macdSignal: '#ea580c',
  guide: '#64748b',
  text: '#0f172a',
  muted: '#475569',
  grid: '#e2e8f0',
} as const;

const MONTHS = {
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
  th: ['ม.ค.', 'ก.พ.', 'มี.ค.', 'เม.ย.', 'พ.ค.', 'มิ.ย.', 'ก.ค.', 'ส.ค.', 'ก.ย.', 'ต.ค.', 'พ.ย.', 'ธ.ค.'],
} as const;

const LABELS = {
  en: {
    volume: 'Volume',
    asOf: (date: string, n: number) => `As of ${date} · daily, last ${n} sessions`,
  },
  th: {
    volume: 'ปริมาณการซื้อขาย',
    asOf: (date: string, n: number) => `ข้อมูล ณ ${date} · รายวัน ย้อนหลัง ${n} วันทำการ`,
  },
} as const;

type Num = number | null;

function finiteOrNull(x: number | undefined): Num {
  return x !== undefined && Number.isFinite(x) ? x : null;
}

function sliceSeries(series: Float64Array, from: number): Num[] {
  return Array.from(series.subarray(from), (v) => finiteOrNull(v));
}

function hasData(values: readonly Num[]): boolean {
  return values.some((v) => v !== null);
}

/** Enough decimals to show a move of ~0.1% whatever the price scale. */
function priceDecimals(price: number): number {
  const a = Math.abs(price);
  if (a >= 1000) return 0;
  if (a >= 1) return 2;
  if (a >= 0.01) return 4;
  return 6;
}

// Intl.NumberFormat costs ~50 µs to construct and a chart formats a few hundred numbers: one formatter per style.
const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(minimumFractionDigits: number, maximumFractionDigits: number): Intl.NumberFormat {
  const key = `${minimumFractionDigits}/${maximumFractionDigits}`;
  let format = numberFormats.get(key);
  if (format === undefined) {
    format = new Intl.NumberFormat('en-US', { minimumFractionDigits, maximumFractionDigits });
    numberFormats.set(key, format);
  }
  return format;
}

function formatNumber(x: number, decimals: number): string {
  return numberFormat(decimals, decimals).format(x);
}

/** Axis ticks: at most `decimals`, trailing zeros dropped ("900", "0.5"). */
function formatTick(x: number, decimals: number): string {
  return numberFormat(0, decimals).format(x);
}

function formatSigned(x: number, decimals: number): string {
  return `${x >= 0 ? '+' : '−'}${formatNumber(Math.abs(x), decimals)}`;
}

function formatCompact(x: number): string {
  const a = Math.abs(x);
  if (a >= 1e9) return `${(x / 1e9).toFixed(a >= 1e10 ? 0 : 1)}B`;
  if (a >= 1e6) return `${(x / 1e6).toFixed(a >= 1e7 ? 0 : 1)}M`;
  if (a >= 1e3) return `${(x / 1e3).toFixed(a >= 1e4 ? 0 : 1)}K`;
  return formatNumber(x, 0);
}

function formatDateLabel(iso: string, language: 'th' | 'en', withYear: boolean): string {
  const [y, m, d] = iso.split('-');
  const month = MONTHS[language][Number(m) - 1] ?? m;
  const day = String(Number(d));
  return withYear ? `${day} ${month} ${y}` : `${day} ${month}`;
}

/** ECharts rich text treats `{`, `}` and `|` as markup: keep user text out of it. */
function plain(text: string): string {
  return text.replace(/[{}|]/g, ' ');
}

/** Keeps the one-line title inside the canvas. */
function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** The ECharts option for the chart; pure, so it can be tested without rendering. */
export function buildChartOption(input: ChartInput): EChartsCoreOption {
  const { bars } = input;
  if (bars.length === 0) throw new Error(`no bars to chart for ${input.symbol}`);
  const language = input.language ?? 'en';
  const labels = LABELS[language];

  const ind = computeIndicatorSeries(bars);
  const from = Math.max(0, bars.length - CHART_BARS);
  const shown = bars.slice(from);
  const n = shown.length;
  const dates = shown.map((b) => b.date);

  const last = bars[bars.length - 1]!;
  const prev = bars.length > 1 ? bars[bars.length - 2]! : undefined;
  const decimals = priceDecimals(last.close);

  // Title: "<name> (<symbol>)  <price> <currency>  <+change (+pct%)>", the change coloured by direction.
  let changeRich = '';
  if (prev !== undefined && prev.close !== 0) {
    const change = last.close - prev.close;
    const pct = (change / prev.close) * 100;
    const style = change >= 0 ? 'up' : 'down';
    changeRich = `  {${style}|${formatSigned(change, decimals)} (${formatSigned(pct, 2)}%)}`;
  }
  const titleText =
    `{name|${plain(clip(input.title, 60))} (${plain(input.symbol)})}` +
    `  {price|${formatNumber(last.close, decimals)} ${plain(input.currency)}}${changeRich}`;
  const asOf = labels.asOf(last.date, n);
  const subtext = input.subtitle ? `${input.subtitle}  ·  ${asOf}` : asOf;

  const sma20 = sliceSeries(ind.sma20, from);
  const sma50 = sliceSeries(ind.sma50, from);
  const sma200 = sliceSeries(ind.sma200, from);
  const bbUpper = sliceSeries(ind.bbUpper, from);
  const bbLower = sliceSeries(ind.bbLower, from);
  const rsi = sliceSeries(ind.rsi14, from);
  const macd = sliceSeries(ind.macd, from);
  const macdSignal = sliceSeries(ind.macdSignal, from);
  const macdHist = sliceSeries(ind.macdHist, from);
  const bbWidth = bbUpper.map((u, i) => (u !== null && bbLower[i] !== null ? u - bbLower[i]! : null));

  const candles = shown.map((b) => [b.open, b.close, b.low, b.high]);
  const upDay = shown.map((b) => b.close >= b.open);

  const panels = [CHART_PANELS.price, CHART_PANELS.volume, CHART_PANELS.rsi, CHART_PANELS.macd];
  const bottom = panels.length - 1;
  // One fixed label interval for every panel, so the vertical grid lines line up across panels.
  const labelInterval = Math.max(0, Math.ceil(n / 8) - 1);

  const grid = panels.map((p) => ({ left: GRID_LEFT, right: GRID_RIGHT, top: p.top, height: p.height }));
  const xAxis = panels.map((_, i) => ({
    type: 'category',
    gridIndex: i,
    data: dates,
    boundaryGap: true,
    axisLine: { lineStyle: { color: CHART_COLORS.grid } },
    axisTick: { show: i === bottom, interval: labelInterval, lineStyle: { color: CHART_COLORS.grid } },
    splitLine: { show: true, interval: labelInterval, lineStyle: { color: CHART_COLORS.grid, width: 1 } },
    axisLabel: {
      show: i === bottom,
      interval: labelInterval,
      color: CHART_COLORS.muted,
      fontSize: 12,
      alignMinLabel: 'left',
      formatter: (value: string, index: number) => formatDateLabel(value, language, index === 0),
    },
  }));

  const valueAxisBase = {
    position: 'right',
    axisLine: { show: false },
    axisTick: { show: false },
    splitLine: { lineStyle: { color: CHART_COLORS.grid } },
  };
  const yAxis = [
    {
      ...valueAxisBase,
      type: 'value',
      gridIndex: 0,
      scale: true,
      splitNumber: 6,
      axisLabel: { color: CHART_COLORS.muted, fontSize: 12, formatter: (v: number) => formatTick(v, priceDecimals(v)) },
    },
    {
      ...valueAxisBase,
      type: 'value',
      gridIndex: 1,
      min: 0,
      splitNumber: 2,
      axisLabel: { color: CHART_COLORS.muted, fontSize: 11, formatter: (v: number) => (v === 0 ? '' : formatCompact(v)) },
    },
    {
      ...valueAxisBase,
      type: 'value',
      gridIndex: 2,
      min: 0,
      max: 100,
      interval: 10,
      splitLine: { show: false },
      axisLabel: {
        color: CHART_COLORS.muted,
        fontSize: 11,
        formatter: (v: number) => (v === 30 || v === 70 ? String(v) : ''),
      },
    },
    {
      ...valueAxisBase,
      type: 'value',
      gridIndex: 3,
      scale: true,
      splitNumber: 3,
      axisLabel: { color: CHART_COLORS.muted, fontSize: 11, formatter: (v: number) => formatTick(v, macdDecimals(v)) },
    },
  ];

  // Nothing here is interactive: silent series with no emphasis state spare ECharts building hover styles for every
  // element (~15% of a chart's drawing time).
  const still = { silent: true, emphasis: { disabled: true } };
  const line = (name: string, data: Num[], color: string, xAxisIndex: number, width = 1.5) => ({
    ...still,
    type: 'line',
    name,
    data,
    xAxisIndex,
    yAxisIndex: xAxisIndex,
    showSymbol: false,
    symbol: 'none',
    connectNulls: false,
    lineStyle: { color, width },
    itemStyle: { color },
    z: 3,
  });

  const series: object[] = [];
  if (hasData(bbUpper)) {
    // The band is a stacked area: the lower line, then (upper − lower) stacked on it and filled, whose line is
    // drawn at the stack's top, the upper band.
    series.push(
      { ...line('bb-lower', bbLower, CHART_COLORS.bbLine, 0, 1), stack: 'bb', z: 1 },
      {
        ...line('Bollinger 20/2', bbWidth, CHART_COLORS.bbLine, 0, 1),
        stack: 'bb',
        areaStyle: { color: CHART_COLORS.bbFill },
        z: 1,
      },
    );
  }
  series.push({
    ...still,
    type: 'candlestick',
    name: plain(input.symbol),
    data: candles,
    xAxisIndex: 0,
    yAxisIndex: 0,
    barMaxWidth: 10,
    itemStyle: {
      color: CHART_COLORS.up,
      color0: CHART_COLORS.down,
      borderColor: CHART_COLORS.up,
      borderColor0: CHART_COLORS.down,
      borderWidth: 1,
    },
    z: 4,
  });
  // A moving average with no value in the window (short history) is left out, legend included.
  const mas: [string, Num[], string][] = [
    ['SMA 20', sma20, CHART_COLORS.sma20],
    ['SMA 50', sma50, CHART_COLORS.sma50],
    ['SMA 200', sma200, CHART_COLORS.sma200],
  ];
  for (const [name, data, color] of mas) if (hasData(data)) series.push(line(name, data, color, 0));

  // Bars coloured by direction are drawn as two stacked series (each slot holds one of them), not as one series with
  // a style per bar: ECharts builds a model per styled item, which cost a quarter of the chart's drawing time.
  const directionalBars = (name: string, values: readonly Num[], isUp: (v: number, i: number) => boolean, axis: number) =>
    (['up', 'down'] as const).map((direction) => ({
      ...still,
      type: 'bar',
      // Large mode draws all bars of a series as one path instead of an element each; same pixels at this size.
      large: true,
      largeThreshold: 1,
      name: `${name} ${direction}`,
      data: values.map((v, i) => (v !== null && isUp(v, i) === (direction === 'up') ? v : null)),
      stack: name,
      xAxisIndex: axis,
      yAxisIndex: axis,
      itemStyle: { color: CHART_COLORS[direction] },
      barMaxWidth: 10,
      barCategoryGap: '25%',
    }));
  series.push(...directionalBars(labels.volume, shown.map((b) => b.volume), (_, i) => upDay[i]!, 1));

  series.push({
    ...line('RSI 14', rsi, CHART_COLORS.rsi, 2),
    markLine: {
      silent: true,
      symbol: 'none',
      label: { show: false },
      lineStyle: { color: CHART_COLORS.guide, type: 'dashed', width: 1 },
      data: [{ yAxis: 30 }, { yAxis: 70 }],
    },
  });

  series.push(
    ...directionalBars('MACD hist', macdHist, (h) => h >= 0, 3),
    line('MACD 12/26', macd, CHART_COLORS.macd, 3),
    line('Signal 9', macdSignal, CHART_COLORS.macdSignal, 3),
  );

  const legendNames = [
    ...(hasData(bbUpper) ? [{ name: 'Bollinger 20/2', icon: 'rect', itemStyle: { color: '#cbd5e1' } }] : []),
    ...mas.filter(([, data]) => hasData(data)).map(([name]) => name),
  ];

  const lastOf = (values: readonly Num[]): number | null => values[values.length - 1] ?? null;
  const fmt = (v: number | null, d: number) => (v === null ? '–' : formatNumber(v, d));
  const lastMacd = lastOf(macd);
  const md = macdDecimals(lastMacd ?? 0);
  const panelLabel = (top: number, text: string) => ({
    type: 'text',
    left: GRID_LEFT + 4,
    top: top - 18,
    silent: true,
    style: { text, fill: CHART_COLORS.muted, font: `12px ${CHART_FONT_FAMILY}` },
  });

  return {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: CHART_FONT_FAMILY, color: CHART_COLORS.text },
    title: {
      left: GRID_LEFT,
      top: 10,
      text: titleText,
      textStyle: {
        fontSize: 20,
        fontFamily: CHART_FONT_FAMILY,
        rich: {
          name: { fontSize: 20, fontWeight: 'bold', color: CHART_COLORS.text, fontFamily: CHART_FONT_FAMILY },
          price: { fontSize: 20, fontWeight: 'bold', color: CHART_COLORS.text, fontFamily: CHART_FONT_FAMILY },
          up: { fontSize: 18, color: CHART_COLORS.up, fontFamily: CHART_FONT_FAMILY },
          down: { fontSize: 18, color: CHART_COLORS.down, fontFamily: CHART_FONT_FAMILY },
        },
      },
      subtext,
      itemGap: 8,
      subtextStyle: { fontSize: 13, color: CHART_COLORS.muted, fontFamily: CHART_FONT_FAMILY },
    },
    legend: {
      top: 60,
      left: GRID_LEFT,
      itemWidth: 18,
      itemHeight: 8,
      data: legendNames,
      textStyle: { fontSize: 12, color: CHART_COLORS.muted, fontFamily: CHART_FONT_FAMILY },
    },
    grid,
    xAxis,
    yAxis,
    series,
    graphic: [
      panelLabel(CHART_PANELS.volume.top, `${labels.volume}  ${formatCompact(last.volume)}`),
      panelLabel(CHART_PANELS.rsi.top, `RSI 14  ${fmt(lastOf(rsi), 1)}`),
      panelLabel(
        CHART_PANELS.macd.top,
        `MACD 12/26/9  ${fmt(lastMacd, md)}   Signal ${fmt(lastOf(macdSignal), md)}   Hist ${fmt(lastOf(macdHist), md)}`,
      ),
    ],
  };
}

function macdDecimals(v: number): number {
  const a = Math.abs(v);
  if (a >= 100) return 0;
  if (a >= 1) return 2;
  return 4;
}

/** The chart as a 1200×800 PNG. */
export async function renderChartPng(input: ChartInput): Promise<Buffer> {
  registerChartFonts();
  const option = buildChartOption(input);
  const canvas = createCanvas(CHART_WIDTH, CHART_HEIGHT);
  const chart = echarts.init(canvas as unknown as HTMLElement, null, {
    renderer: 'canvas',
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    devicePixelRatio: 1,
  });
  let png: Buffer;
  try {
    chart.setOption(option);
    png = encodePng(canvas.data(), CHART_WIDTH, CHART_HEIGHT);
  } finally {
    chart.dispose();
  }
  // Skia surfaces and pixel copies (~8 MB a chart) are freed by native finalizers that Node runs from the event loop.
  // Charts drawn back to back without returning to it (a pool thread takes its next task at once) would pile them up
  // by the gigabyte: one turn of the loop per chart lets them go.
  await nextEventLoopTurn();
  return png;
}
