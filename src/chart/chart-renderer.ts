import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { ChartInput } from './render-chart.js';

export interface ChartRenderer {
  readonly threads: number;
  render(input: ChartInput): Promise<Buffer>;
  /**
   * Starts the threads and draws a throw-away chart on each, so that module loading (~1 s) and the first, unoptimised
   * charts happen while the run ingests instead of in front of the first reports. Nothing to do in-thread.
   */
  warm(): Promise<void>;
  close(): Promise<void>;
}

/** A plain synthetic chart that exercises every panel. */
function warmUpChart(): ChartInput {
  const bars = Array.from({ length: 260 }, (_, i) => {
    const close = 100 + 10 * Math.sin(i / 15) + i / 20;
    const open = close + Math.cos(i) * 1.5;
    const day = new Date(Date.UTC(2025, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
    return { date: day, open, high: Math.max(open, close) + 1, low: Math.min(open, close) - 1, close, volume: 1e6 + 1e5 * (i % 7) };
  });
  return { title: 'Warm-up ทดสอบ', symbol: 'WARM', currency: 'USD', bars, language: 'th' };
}

/**
 * Charts take ~55 ms of CPU each while everything else in a report takes a few: they are drawn on a pool of worker
 * threads (piscina) so both cores work and the main thread keeps the store and queue moving. With `threads: 0`, or
 * when running from TypeScript sources (tests), they are drawn in this thread.
 */
export function createChartRenderer({ threads }: { threads: number }): ChartRenderer {
  const task = fileURLToPath(new URL('./chart-task.js', import.meta.url));
  if (threads === 0 || !existsSync(task)) {
    // Imported on the first chart: ECharts and Skia take ~0.8 s to load, which commands that draw nothing skip.
    return {
      threads: 0,
      render: async (input) => (await import('./render-chart.js')).renderChartPng(input),
      warm: async () => {},
      close: async () => {},
    };
  }
  const pool = new Piscina<ChartInput, Uint8Array>({ filename: task, minThreads: threads, maxThreads: threads, idleTimeout: 30_000 });
  return {
    threads,
    async render(input) {
      const png = await pool.run(input);
      return Buffer.from(png.buffer, png.byteOffset, png.byteLength);
    },
    async warm() {
      // Tasks go to idle threads first, so `threads` tasks submitted together land one per thread.
      const input = warmUpChart();
      await Promise.all(Array.from({ length: threads }, () => pool.run(input)));
    },
    close: () => pool.destroy(),
  };
}
