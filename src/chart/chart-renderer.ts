import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { type ChartInput, renderChartPng } from './render-chart.js';

export interface ChartRenderer {
  readonly threads: number;
  render(input: ChartInput): Promise<Buffer>;
  close(): Promise<void>;
}

/**
 * Charts take ~100 ms of CPU each while everything else in a report takes a few: they are drawn on a pool of worker
 * threads (piscina) so both cores work and the main thread keeps the store and queue moving. With `threads: 0`, or
 * when running from TypeScript sources (tests), they are drawn in this thread.
 */
export function createChartRenderer({ threads }: { threads: number }): ChartRenderer {
  const task = fileURLToPath(new URL('./chart-task.js', import.meta.url));
  if (threads === 0 || !existsSync(task)) {
    return { threads: 0, render: renderChartPng, close: async () => {} };
  }
  const pool = new Piscina<ChartInput, Uint8Array>({ filename: task, minThreads: threads, maxThreads: threads, idleTimeout: 30_000 });
  return {
    threads,
    async render(input) {
      const png = await pool.run(input);
      return Buffer.from(png.buffer, png.byteOffset, png.byteLength);
    },
    close: () => pool.destroy(),
  };
}
