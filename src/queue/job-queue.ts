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
  enqueue(jobs: QueuedJob[]): Promise<void>;
  /** Starts delivering jobs to `handler`, at most `concurrency` at once. Call once. */
  process(handler: JobHandler): void;
  /** Stops taking jobs and waits for the ones in hand to end. */
  close(): Promise<void>;
}
