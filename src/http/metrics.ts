import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DELIVERY_ENDED, type DeliveryEndedEvent } from '../delivery/deliver.js';
import { JOB_ENDED, type JobEndedEvent, type PipelineDeps } from '../pipeline/pipeline-deps.js';
import type { JobStatus } from '../store/store.js';
import type { ReportCache } from './report-cache.js';

/** Executions whose jobs the `daybreak_jobs` gauge counts (newest first). */
const RECENT_EXECUTIONS = 20;
const JOB_STATUSES: JobStatus[] = ['pending', 'in_progress', 'completed', 'failed'];

interface Series {
  labels: Record<string, string>;
  /** Observations per bucket (not cumulative); the last slot is +Inf. */
  counts: Float64Array;
  sum: number;
  count: number;
}

/**
 * The request-latency histogram, observed on every request. prom-client's own histogram validates and hashes the
 * label object on every observation (a few µs, a visible share of a 30 µs report request), so the hot path here is
 * a map lookup and a bucket increment; prom-client's registry renders it at scrape time through `get()`.
 */
class RequestDurationHistogram {
  readonly name = 'daybreak_http_request_duration_seconds';
  readonly help = 'HTTP request duration by route and status, measured by fastify from request to response end';
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly series = new Map<string, Series>();

  constructor(private readonly bounds: readonly number[]) {}

  observe(method: string, route: string, statusCode: number, seconds: number): void {
    const key = `${method} ${statusCode} ${route}`;
    let series = this.series.get(key);
    if (!series) {
      series = { labels: { method, route, status_code: String(statusCode) }, counts: new Float64Array(this.bounds.length + 1), sum: 0, count: 0 };
      this.series.set(key, series);
    }
    let i = 0;
    while (i < this.bounds.length && seconds > this.bounds[i]!) i++;
    series.counts[i]!++;
    series.sum += seconds;
    series.count++;
  }

  get() {
    const values: { labels: Record<string, string | number>; sharedLabels: Record<string, string>; value: number; metricName: string }[] = [];
    for (const s of this.series.values()) {
      let cumulative = 0;
      this.bounds.forEach((bound, i) => {
        cumulative += s.counts[i]!;
        values.push({ labels: { le: bound }, sharedLabels: s.labels, value: cumulative, metricName: `${this.name}_bucket` });
      });
      values.push({ labels: { le: '+Inf' }, sharedLabels: s.labels, value: s.count, metricName: `${this.name}_bucket` });
      values.push({ labels: {}, sharedLabels: s.labels, value: s.sum, metricName: `${this.name}_sum` });
      values.push({ labels: {}, sharedLabels: s.labels, value: s.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  reset(): void {
    this.series.clear();
  }
}

/**
 * Prometheus metrics of one `serve` process, in a registry of its own (several servers in one test process do not
 * collide). Request latency is observed in an onResponse hook (see `RequestDurationHistogram`).
 */
export class ServerMetrics {
  readonly registry = new Registry();
  private readonly httpDuration = new RequestDurationHistogram([0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]);
  private readonly jobDuration: Histogram<'status'>;
  private readonly jobsEnded: Counter<'status'>;
  readonly cacheReloads: Counter;
  private readonly onJobEnded: (event: JobEndedEvent) => void;
  private readonly deliveries: Counter<'channel' | 'outcome'>;
  private readonly onDeliveryEnded: (event: DeliveryEndedEvent) => void;

  constructor(
    private readonly deps: PipelineDeps,
    cache: ReportCache,
  ) {
    collectDefaultMetrics({ register: this.registry });
    this.registry.registerMetric(this.httpDuration as unknown as Parameters<Registry['registerMetric']>[0]);
    this.jobDuration = new Histogram({
      name: 'daybreak_job_duration_seconds',
      help: 'Duration of report jobs run by this process, from in_progress to completed or failed',
      labelNames: ['status'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers: [this.registry],
    });
    this.jobsEnded = new Counter({
      name: 'daybreak_jobs_ended_total',
      help: 'Report jobs ended by workers of this process, by outcome',
      labelNames: ['status'],
      registers: [this.registry],
    });
    this.cacheReloads = new Counter({
      name: 'daybreak_report_cache_loads_total',
      help: 'Reports (re)loaded into the in-memory cache',
      registers: [this.registry],
    });
    const store = deps.store;
    new Gauge({
      name: 'daybreak_jobs',
      help: `Jobs by status over the ${RECENT_EXECUTIONS} most recent executions (read from the store at scrape time, so it covers every process)`,
      labelNames: ['status'],
      registers: [this.registry],
      async collect() {
        const counts: Record<JobStatus, number> = { pending: 0, in_progress: 0, completed: 0, failed: 0 };
        for (const execution of await store.listExecutions({ limit: RECENT_EXECUTIONS })) {
          counts.completed += execution.completed;
          counts.failed += execution.failed;
          if (execution.status === 'running') {
            for (const job of await store.listJobs(execution.execution_id)) {
              if (job.status === 'pending' || job.status === 'in_progress') counts[job.status]++;
            }
          }
        }
        for (const status of JOB_STATUSES) this.set({ status }, counts[status]);
      },
    });
    new Gauge({
      name: 'daybreak_executions_running',
      help: 'Executions with status running in the store',
      registers: [this.registry],
      async collect() {
        this.set((await store.listExecutions({ limit: 1000, status: 'running' })).length);
      },
    });
    new Gauge({
      name: 'daybreak_reports_cached',
      help: 'Tickers whose latest report is held in memory',
      registers: [this.registry],
      collect() {
        this.set(cache.size);
      },
    });
    new Gauge({
      name: 'daybreak_reports_stale',
      help: 'Cached reports whose business date is before today (Asia/Bangkok)',
      registers: [this.registry],
      collect() {
        this.set(cache.all().filter((e) => cache.isStale(e)).length);
      },
    });
    this.onJobEnded = ({ job }: JobEndedEvent) => {
      this.jobsEnded.inc({ status: job.status });
      if (job.duration_ms !== null) this.jobDuration.observe({ status: job.status }, job.duration_ms / 1000);
    };
    deps.events.on(JOB_ENDED, this.onJobEnded);
    this.deliveries = new Counter({
      name: 'daybreak_deliveries_total',
      help: 'Digests handled by delivery runs of this process, by channel and outcome (delivered, failed, skipped: already delivered or held by another process)',
      labelNames: ['channel', 'outcome'],
      registers: [this.registry],
    });
    this.onDeliveryEnded = ({ channel, outcome }: DeliveryEndedEvent) => this.deliveries.inc({ channel, outcome });
    deps.events.on(DELIVERY_ENDED, this.onDeliveryEnded);
  }

  observeRequest(method: string, route: string, statusCode: number, seconds: number): void {
    this.httpDuration.observe(method, route, statusCode, seconds);
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  close(): void {
    this.deps.events.off(JOB_ENDED, this.onJobEnded);
    this.deps.events.off(DELIVERY_ENDED, this.onDeliveryEnded);
    this.registry.clear();
  }
}
