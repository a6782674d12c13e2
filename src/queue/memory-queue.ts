import type { JobHandler, JobQueue, QueuedJob, RetryOptions } from './job-queue.js';
import { ServiceUnavailableError } from '../errors.js';
import { retryDelayMs } from './retry-policy.js';

interface Delivery {
  job: QueuedJob;
  attempt: number;
}

/**
 * The embedded queue: a FIFO in this process with bounded concurrency and delayed retries. It holds no state
 * worth keeping: the jobs' truth is in the store, so after a crash the next start recovers from there.
 */
export class MemoryQueue implements JobQueue {
  readonly kind = 'memory';
  private readonly waiting: Delivery[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  /** Ids of the jobs waiting, retrying or in hand. */
  private readonly held = new Set<string>();
  private handler: JobHandler | undefined;
  private closed = false;

  constructor(
    private readonly concurrency: number,
    private readonly retry: RetryOptions,
  ) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`concurrency must be a positive integer, got ${concurrency}`);
  }

  async enqueue(jobs: QueuedJob[]): Promise<void> {
    if (this.closed) throw new Error('queue is closed');
    for (const job of jobs) {
      if (this.held.has(job.jobId)) continue;
      this.held.add(job.jobId);
      this.waiting.push({ job, attempt: 1 });
    }
    this.pump();
  }

  async requeueMissing(jobs: QueuedJob[]): Promise<number> {
    const missing = jobs.filter((job) => !this.held.has(job.jobId));
    await this.enqueue(missing);
    return missing.length;
  }

  process(handler: JobHandler): void {
    if (this.handler) throw new Error('process() was already called');
    this.handler = handler;
    this.pump();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.waiting.length = 0;
    this.held.clear();
    await Promise.allSettled([...this.inFlight]);
  }

  private pump(): void {
    const handler = this.handler;
    if (!handler) return;
    while (!this.closed && this.inFlight.size < this.concurrency && this.waiting.length > 0) {
      const delivery = this.waiting.shift()!;
      const run = this.deliver(handler, delivery).finally(() => {
        this.inFlight.delete(run);
        this.pump();
      });
      this.inFlight.add(run);
    }
  }

  private async deliver(handler: JobHandler, { job, attempt }: Delivery): Promise<void> {
    try {
      await handler(job, { attempt, maxAttempts: this.retry.attempts });
      this.held.delete(job.jobId);
    } catch (error) {
      const delay = retryDelayMs(error, { attempt, maxAttempts: this.retry.attempts }, this.retry.backoffMs);
      if (delay === undefined || this.closed) {
        this.held.delete(job.jobId);
        return;
      }
      // An unreachable store is not the job's fault: the same attempt again.
      const next = error instanceof ServiceUnavailableError ? attempt : attempt + 1;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.waiting.push({ job, attempt: next });
        this.pump();
      }, delay);
      this.timers.add(timer);
    }
  }
}
