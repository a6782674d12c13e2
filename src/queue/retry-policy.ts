import { isPermanent, RetryLaterError } from '../errors.js';
import type { JobAttempt, RetryOptions } from './job-queue.js';

/** One rule for every queue adapter: permanent errors never retry; rate limits wait as told; others back off. */
export function retryDelayMs(error: unknown, { attempt, maxAttempts }: JobAttempt, backoffMs: number): number | undefined {
  if (isPermanent(error) || attempt >= maxAttempts) return undefined;
  if (error instanceof RetryLaterError) return error.retryAfterMs;
  return backoffMs * 2 ** (attempt - 1);
}

export function willRetry(error: unknown, attempt: JobAttempt): boolean {
  return retryDelayMs(error, attempt, 0) !== undefined;
}

export const DEFAULT_RETRY: RetryOptions = { attempts: 3, backoffMs: 500 };

/** Runs `fn` with the same retry rule the queues apply, for work that does not go through a queue (ingest). */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, retry: RetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      const delay = retryDelayMs(error, { attempt, maxAttempts: retry.attempts }, retry.backoffMs);
      if (delay === undefined) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
