import { DelayedError, Queue, UnrecoverableError, Worker } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { errorMessage, isPermanent, isServiceOutage, ServiceUnavailableError } from '../errors.js';
import { addressOf, OutageLog } from './outage-log.js';
import type { JobHandler, JobQueue, QueuedJob, RetryOptions } from './job-queue.js';
import { type OutageRetry, RECONNECT_MAX_DELAY_MS, reconnectDelayMs, retryDelayMs, retryThroughOutage } from './retry-policy.js';

export interface BullmqQueueOptions {
  redisUrl: string;
  /** Queue name; ids and keys of different deployments (or tests) never mix when names or prefixes differ. */
  name: string;
  prefix: string;
  concurrency: number;
  retry: RetryOptions;
  /** A job whose worker stops renewing its lock this long is handed to another worker. BullMQ default 30 s. */
  lockDurationMs: number;
  /** Where Redis going away and coming back is reported (once each). */
  outages?: OutageLog;
  /** How long a queue command waits for an unreachable Redis before it fails. Default 15 minutes. */
  giveUpAfterMs?: number;
}

const BACKOFF_TYPE = 'daybreak';
const KEEP_SECONDS = 7 * 86_400;
const STATE_CHUNK = 200;

/**
 * The distributed queue: BullMQ on Redis. Retries follow the same `retry-policy.ts` as the embedded queue through a
 * custom backoff strategy; permanent errors become `UnrecoverableError` so BullMQ does not retry them. Failed jobs
 * are kept 7 days for inspection. Fan-in is not done with BullMQ flows: the store counts job outcomes.
 *
 * Redis may restart (and come back empty) at any time: connections reconnect on the shared reconnect policy and say
 * so once on `outages`, commands wait for it, and `requeueMissing` puts back what the store says is unfinished.
 */
export class BullmqQueue implements JobQueue {
  readonly kind = 'bullmq';
  private readonly producerConnection: Redis;
  private readonly queue: Queue;
  private readonly outageRetry: OutageRetry;
  private worker: Worker | undefined;
  private workerConnection: Redis | undefined;

  constructor(private readonly options: BullmqQueueOptions) {
    this.outageRetry = {
      service: 'Redis',
      address: addressOf(options.redisUrl),
      outages: options.outages ?? new OutageLog(),
      giveUpAfterMs: options.giveUpAfterMs ?? 15 * 60_000,
    };
    this.producerConnection = this.connect({ maxRetriesPerRequest: 3, lazyConnect: true });
    this.queue = new Queue(options.name, { connection: this.producerConnection, prefix: options.prefix });
    // Connection errors are reported once by the connection's own listeners; without this one BullMQ would print
    // each of them with its stack trace.
    this.queue.on('error', () => {});
  }

  private connect(options: RedisOptions): Redis {
    const { outages, service, address } = this.outageRetry;
    const redis = new Redis(this.options.redisUrl, { ...options, retryStrategy: reconnectDelayMs });
    // Without an 'error' listener ioredis prints every failed reconnect with a stack trace.
    redis.on('error', (error) => {
      if (isServiceOutage(error)) outages.failed(service, address, error);
    });
    redis.on('ready', () => outages.reached(service));
    return redis;
  }

  async enqueue(jobs: QueuedJob[]): Promise<void> {
    if (jobs.length === 0) return;
    await retryThroughOutage(
      () =>
        this.queue.addBulk(
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
        ),
      this.outageRetry,
    );
  }

  async requeueMissing(jobs: QueuedJob[]): Promise<number> {
    const missing: QueuedJob[] = [];
    await retryThroughOutage(async () => {
      missing.length = 0;
      for (let i = 0; i < jobs.length; i += STATE_CHUNK) {
        const chunk = jobs.slice(i, i + STATE_CHUNK);
        const states = await Promise.all(chunk.map((job) => this.queue.getJobState(job.jobId)));
        for (const [k, state] of states.entries()) {
          // Waiting, delayed or active (a stalled one goes back to waiting by BullMQ's own check) is left alone.
          if (state === 'unknown') missing.push(chunk[k]!);
          if (state === 'completed' || state === 'failed') {
            // Ended in the queue but not in the store (e.g. failed as stalled while Redis was away): run it again.
            await this.queue.remove(chunk[k]!.jobId).catch(() => 0);
            missing.push(chunk[k]!);
          }
        }
      }
    }, this.outageRetry);
    await this.enqueue(missing);
    return missing.length;
  }

  process(handler: JobHandler): void {
    if (this.worker) throw new Error('process() was already called');
    const { retry } = this.options;
    this.worker = new Worker<QueuedJob>(
      this.options.name,
      async (job, token) => {
        try {
          await handler(job.data, { attempt: job.attemptsMade + 1, maxAttempts: retry.attempts });
        } catch (error) {
          if (error instanceof ServiceUnavailableError && token) {
            // Not the job's fault: back to the queue without spending an attempt. If Redis is the one away, the
            // move fails too and the job goes back when its lock expires.
            await job.moveToDelayed(Date.now() + RECONNECT_MAX_DELAY_MS, token).catch(() => {});
            throw new DelayedError();
          }
          if (isPermanent(error)) throw new UnrecoverableError(errorMessage(error));
          throw error;
        }
      },
      {
        // BullMQ leaves connections it is given open on close(): this one is ours to end.
        connection: (this.workerConnection = this.connect({ maxRetriesPerRequest: null })),
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
    // Without a listener an 'error' event would crash the process; BullMQ reconnects by itself, and the outage is
    // reported by the connection's listeners.
    this.worker.on('error', () => {});
  }

  async close(): Promise<void> {
    await this.worker?.close();
    this.workerConnection?.disconnect();
    await this.queue.close();
    this.producerConnection.disconnect();
  }
}
