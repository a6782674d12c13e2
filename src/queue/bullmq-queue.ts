import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { errorMessage, isPermanent } from '../errors.js';
import type { JobHandler, JobQueue, QueuedJob, RetryOptions } from './job-queue.js';
import { retryDelayMs } from './retry-policy.js';

export interface BullmqQueueOptions {
  redisUrl: string;
  /** Queue name; ids and keys of different deployments (or tests) never mix when names or prefixes differ. */
  name: string;
  prefix: string;
  concurrency: number;
  retry: RetryOptions;
  /** A job whose worker stops renewing its lock this long is handed to another worker. BullMQ default 30 s. */
  lockDurationMs: number;
}

const BACKOFF_TYPE = 'daybreak';
const KEEP_SECONDS = 7 * 86_400;

/**
 * The distributed queue: BullMQ on Redis. Retries follow the same `retry-policy.ts` as the embedded queue through a
 * custom backoff strategy; permanent errors become `UnrecoverableError` so BullMQ does not retry them. Failed jobs
 * are kept 7 days for inspection. Fan-in is not done with BullMQ flows: the store counts job outcomes.
 */
export class BullmqQueue implements JobQueue {
  readonly kind = 'bullmq';
  private readonly producerConnection: Redis;
  private readonly queue: Queue;
  private worker: Worker | undefined;
  private workerConnection: Redis | undefined;

  constructor(private readonly options: BullmqQueueOptions) {
    this.producerConnection = new Redis(options.redisUrl, { maxRetriesPerRequest: 3, lazyConnect: true });
    this.producerConnection.on('error', () => {}); // surfaced by the failing command instead
    this.queue = new Queue(options.name, { connection: this.producerConnection, prefix: options.prefix });
  }

  async enqueue(jobs: QueuedJob[]): Promise<void> {
    await this.queue.addBulk(
      jobs.map((job) => ({
        name: 'report',
        data: job,
        opts: {
          jobId: job.jobId,
          attempts: this.options.retry.attempts,
          backoff: { type: BACKOFF_TYPE, delay: this.options.retry.backoffMs },
          removeOnComplete: { age: KEEP_SECONDS },
          removeOnFail: { age: KEEP_SECONDS },
        },
      })),
    );
  }

  process(handler: JobHandler): void {
    if (this.worker) throw new Error('process() was already called');
    const { retry } = this.options;
    this.worker = new Worker<QueuedJob>(
      this.options.name,
      async (job) => {
        try {
          await handler(job.data, { attempt: job.attemptsMade + 1, maxAttempts: retry.attempts });
        } catch (error) {
          if (isPermanent(error)) throw new UnrecoverableError(errorMessage(error));
          throw error;
        }
      },
      {
        // BullMQ leaves connections it is given open on close(): this one is ours to end.
        connection: (this.workerConnection = new Redis(this.options.redisUrl, { maxRetriesPerRequest: null })),
        prefix: this.options.prefix,
        concurrency: this.options.concurrency,
        lockDuration: this.options.lockDurationMs,
        stalledInterval: Math.max(1_000, Math.floor(this.options.lockDurationMs / 2)),
        maxStalledCount: 1,
        settings: {
          backoffStrategy: (attemptsMade, _type, err) =>
            retryDelayMs(err, { attempt: attemptsMade, maxAttempts: retry.attempts }, retry.backoffMs) ?? 0,
        },
      },
    );
    // Without a listener an 'error' event would crash the process; BullMQ reconnects by itself.
    this.worker.on('error', () => {});
  }

  async close(): Promise<void> {
    await this.worker?.close();
    this.workerConnection?.disconnect();
    await this.queue.close();
    this.producerConnection.disconnect();
  }
}
