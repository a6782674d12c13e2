/**
 * The report's chart drawn in the browser on narrow screens (phones, LINE's and Telegram's in-app browsers): the
 * 1200×800 PNG shrinks to ~350 px there and cannot be read. ECharts (served from this origin, loaded only when
 * needed) draws the same four panels from the report's `price_history` — candles with SMA 20/50 and the Bollinger
 * band, volume, RSI 14, MACD 12/26/9 — with pinch zoom and a tooltip. Wide screens keep the PNG, as e-mail and chat
 * cards do.
 */
import { fmtNumber, h } from './dom.js';
import { S } from './strings.js';

export const NARROW_SCREEN = '(max-width: 700px)';
const ECHARTS_URL = '/assets/vendor/echarts.esm.min.mjs';

const sma = (xs, n) => xs.map((_, i) => (i + 1 < n ? null : xs.slice(i + 1 - n, i + 1).reduce((a, b) => a + b, 0) / n));
function ema(xs, n) {
  const k = 2 / (n + 1);
  let prev = null;
  return xs.map((x, i) => {
    if (i + 1 < n) return null;
    prev = prev === null ? xs.slice(0, n).reduce((a, b) => a + b, 0) / n : x * k + prev * (1 - k);
    return prev;
  });
}
function bollinger(xs, n = 20, width = 2) {
  const mid = sma(xs, n);
  return mid.map((m, i) => {
    if (m === null) return [null, null];
    const window = xs.slice(i + 1 - n, i + 1);
    const sd = Math.sqrt(window.reduce((a, x) => a + (x - m) ** 2, 0) / n);
    return [m + width * sd, m - width * sd];
  });
}
function rsi(xs, n = 14) {
  let gain = 0;
  let loss = 0;
  return xs.map((x, i) => {
    if (i === 0) return null;
    const d = x - xs[i - 1];
    if (i <= n) {
      gain += Math.max(d, 0) / n;
      loss += Math.max(-d, 0) / n;
      if (i < n) return null;
    } else {
      gain = (gain * (n - 1) + Math.max(d, 0)) / n;
      loss = (loss * (n - 1) + Math.max(-d, 0)) / n;
    }
    return loss === 0 ? 100 : 100 - 100 / (1 + gain / loss);
  });
}

/** The ECharts option of the four panels, from bars `{date, open, high, low, close, volume}`. */
export function chartOption(bars, ticker) {
  const dates = bars.map((b) => b.date);
  const closes = bars.map((b) => b.close);
  const band = bollinger(closes);
  const ema12 = ema(closes, 12);
  const ema26 = ema(closes, 26);
  const macdLine = ema12.map((f, i) => (f === null || ema26[i] === null ? null : f - ema26[i]));
  const firstMacd = macdLine.findIndex((v) => v !== null);
  const signalTail = firstMacd < 0 ? [] : ema(macdLine.slice(firstMacd), 9);
  const signal = macdLine.map((_, i) => (i < firstMacd || firstMacd < 0 ? null : signalTail[i - firstMacd]));
  const css = getComputedStyle(document.documentElement);
  const up = css.getPropertyValue('--up').trim() || '#137a3a';
  const down = css.getPropertyValue('--down').trim() || '#c0262d';
  const text = css.getPropertyValue('--muted').trim() || '#5d6878';
  const grids = [
    { top: 28, height: '42%' },
    { top: '56%', height: '10%' },
    { top: '70%', height: '10%' },
    { top: '84%', height: '10%' },
  ].map((g) => ({ left: 44, right: 8, ...g }));
  const axis = (i) => ({ type: 'category', data: dates, gridIndex: i, boundaryGap: true, axisLabel: { show: i === 3, color: text, fontSize: 10 }, axisTick: { show: false } });
  const yAxis = (i, extra = {}) => ({ gridIndex: i, scale: true, splitNumber: 2, axisLabel: { color: text, fontSize: 10 }, splitLine: { lineStyle: { opacity: 0.3 } }, ...extra });
  const line = (name, data, i, color) => ({ name, type: 'line', data, xAxisIndex: i, yAxisIndex: i, showSymbol: false, lineStyle: { width: 1, color }, itemStyle: { color } });
  return {
    animation: false,
    title: { text: ticker, left: 44, top: 0, textStyle: { fontSize: 13, color: text } },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'cross', link: [{ xAxisIndex: 'all' }] },
      confine: true,
      textStyle: { fontSize: 11 },
      valueFormatter: (v) => (typeof v === 'number' ? fmtNumber(v, 0, { maximumFractionDigits: 2 }) : (v ?? '—')),
    },
    axisPointer: { link: [{ xAxisIndex: 'all' }] },
    grid: grids,
    xAxis: [0, 1, 2, 3].map(axis),
    yAxis: [yAxis(0), yAxis(1, { axisLabel: { show: false } }), yAxis(2, { min: 0, max: 100, interval: 50 }), yAxis(3)],
    // Pinch and drag zoom inside the panels, all four together; the last 60 bars to start with.
    dataZoom: [{ type: 'inside', xAxisIndex: [0, 1, 2, 3], start: Math.max(0, 100 - (60 / Math.max(bars.length, 1)) * 100), end: 100, zoomOnMouseWheel: true, moveOnMouseMove: true }],
    series: [
      {
        name: ticker,
        type: 'candlestick',
        data: bars.map((b) => [b.open, b.close, b.low, b.high]),
        itemStyle: { color: up, color0: down, borderColor: up, borderColor0: down },
      },
      line('SMA 20', sma(closes, 20), 0, '#1d4ed8'),
      line('SMA 50', sma(closes, 50), 0, '#c2410c'),
      line(S.chart.bbUpper, band.map((b) => b[0]), 0, '#9ca3af'),
      line(S.chart.bbLower, band.map((b) => b[1]), 0, '#9ca3af'),
      { name: S.chart.volume, type: 'bar', data: bars.map((b) => ({ value: b.volume, itemStyle: { color: b.close >= b.open ? up : down } })), xAxisIndex: 1, yAxisIndex: 1 },
      line('RSI 14', rsi(closes), 2, '#6b3fa0'),
      line('MACD', macdLine, 3, '#1d4ed8'),
      line(S.chart.signal, signal, 3, '#c2410c'),
      { name: S.chart.histogram, type: 'bar', data: macdLine.map((m, i) => (m === null || signal[i] === null ? null : m - signal[i])), xAxisIndex: 3, yAxisIndex: 3, itemStyle: { color: text } },
    ],
  };
}

let echartsModule;
const loadEcharts = () => (echartsModule ??= import(ECHARTS_URL));

/**
 * The chart figure of a report: on a narrow screen with price history, a live ECharts chart (the PNG stays as the
 * fallback until it is drawn, and if ECharts cannot load); otherwise the PNG as `png` gives it.
 */
export function chartFigure(r, png, scope) {
  const bars = Array.isArray(r.price_history) ? r.price_history : [];
  if (!window.matchMedia(NARROW_SCREEN).matches || bars.length < 2) return png;
  const box = h('div', { class: 'live-chart', id: 'report-chart-live', role: 'img', 'aria-label': S.chart.aria(r.ticker) });
  const figure = h('figure', { class: 'chart chart--live' }, box, png);
  loadEcharts()
    .then((echarts) => {
      if (!scope.alive) return;
      // Shown before init: ECharts takes its size from the box, and a hidden box measures 100 px.
      figure.classList.add('chart--drawn');
      const chart = echarts.init(box, null, { renderer: 'canvas' });
      chart.setOption(chartOption(bars, r.ticker));
      const resize = () => chart.resize();
      window.addEventListener('resize', resize);
      scope.signal.addEventListener('abort', () => {
        window.removeEventListener('resize', resize);
        chart.dispose();
      });
    })
    .catch(() => {
      figure.classList.remove('chart--drawn');
      figure.classList.add('chart--fallback');
    });
  return figure;
}
