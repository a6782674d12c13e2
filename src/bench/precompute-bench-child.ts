/**
 * One precompute measured in a fresh process, so peak RSS belongs to that run alone.
 * argv: DATABASE_URL [TICKERS_FILE]. Prints one JSON line with the measurements.
 */
import { openDaybreak } from '../composition-root.js';
import { loadConfig } from '../config.js';
import { JOB_ENDED, type JobEndedEvent } from '../pipeline/pipeline-deps.js';
import { runPrecompute } from '../pipeline/precompute.js';

const [databaseUrl, tickersFile] = process.argv.slice(2);
const started = performance.now();
const app = await openDaybreak(loadConfig({ ...process.env, DATABASE_URL: databaseUrl, TICKERS_FILE: tickersFile ?? '' }));
let ingestEndedAt = started;
let jobsStartedAt = 0;
let lastJobEndedAt = 0;
// RSS (chart threads included) as the jobs progress: flat from a quarter of the jobs on means memory does not grow
// with the number of charts drawn.
const rssAtQuarter: number[] = [];
let jobsEnded = 0;
app.deps.events.on(JOB_ENDED, (event: JobEndedEvent) => {
  lastJobEndedAt = performance.now();
  jobsEnded++;
  if (jobsEnded >= ((rssAtQuarter.length + 1) / 4) * event.execution.total) rssAtQuarter.push(process.memoryUsage().rss / 2 ** 20);
});
const queue = app.openQueue();
const execution = await runPrecompute(app.deps, queue, {}, 'manual', {
  onStarted: () => {
    ingestEndedAt = jobsStartedAt = performance.now();
  },
});
const observedAt = performance.now();
const jobs = await app.deps.store.listJobs(execution.execution_id);
// Mean milliseconds per report stage, from the reports' own timing_metrics.
const stageTotals: Record<string, number> = {};
let reports = 0;
for (const job of jobs) {
  const stored = await app.deps.store.getReport(job.ticker, execution.business_date);
  if (!stored) continue;
  reports++;
  for (const [stage, ms] of Object.entries(JSON.parse(stored.body).timing_metrics as Record<string, number>)) {
    stageTotals[stage] = (stageTotals[stage] ?? 0) + ms;
  }
}
const stageMeans = Object.fromEntries(Object.entries(stageTotals).map(([stage, total]) => [stage, total / reports]));
const lastJobFinishedAt = Math.max(...jobs.map((j) => Date.parse(j.finished_at ?? j.created_at)));
await queue.close();
await app.close();

process.stdout.write(
  `${JSON.stringify({
    status: execution.status,
    total: execution.total,
    completed: execution.completed,
    failed: execution.failed,
    wall_ms: observedAt - started,
    ingest_ms: ingestEndedAt - started,
    jobs_ms: observedAt - jobsStartedAt,
    slowest_job_ms: execution.slowest_job_ms,
    // The store closes the execution in the transaction of its last job; these two say how late anyone learns it.
    fan_in_store_ms: Date.parse(execution.finished_at!) - lastJobFinishedAt,
    fan_in_observed_ms: observedAt - lastJobEndedAt,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
    rss_at_quarters_mb: rssAtQuarter,
    chart_threads: app.config.CHART_THREADS,
    stage_means_ms: stageMeans,
  })}\n`,
);
