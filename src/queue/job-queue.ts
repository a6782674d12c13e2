/** What travels through a queue: ids only. Everything else a worker needs is in the store. */
export interface QueuedJob {
  jobId: string;
  executionId: string;
  ticker: string;
}

export interface JobAttempt {
  /** 1 for the first delivery. */
  attempt: number;
  maxAttempts: number;
}

/** Throws to fail the attempt; the queue retries per `retry-policy.ts`. */
export type JobHandler = (job: QueuedJob, attempt: JobAttempt) => Promise<void>;

export interface RetryOptions {
  /** Deliveries per job, the first included. */
  attempts: number;
  /** First retry delay; doubles on each further retry. */
  backoffMs: number;
}

/**
 * The queue port. Delivery is at least once: handlers are idempotent through the store (a job that is not
 * pending is skipped). Every adapter passes `queue.contract.ts`.
 */
export interface JobQueue {
  readonly kind: string;
  /** Adds jobs; a job the queue already holds (same `jobId`) is not added twice. */
  enqueue(jobs: QueuedJob[]): Promise<void>;
  /**
   * Adds those of `jobs` that the queue does not hold for delivery (never added, lost with a Redis that came back
   * empty, ended in the queue without reaching the store); a job waiting, retrying or in hand is left alone.
   * Returns how many were added. The store says which jobs are unfinished; this makes the queue agree.
   */
  requeueMissing(jobs: QueuedJob[]): Promise<number>;
  /** Starts delivering jobs to `handler`, at most `concurrency` at once. Call once. */
  process(handler: JobHandler): void;
  /** Stops taking jobs and waits for the ones in hand to end. */
  close(): Promise<void>;
}
