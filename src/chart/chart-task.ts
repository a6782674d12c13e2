import { type ChartInput, renderChartPng } from './render-chart.js';

/** Runs in a worker thread of the chart pool: charts are the CPU-heavy stage of a report. */
export default function renderChartTask(input: ChartInput): Promise<Buffer> {
  return renderChartPng(input);
}
