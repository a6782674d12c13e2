import { errorMessage, isPermanent, isServiceOutage, RetryLaterError, ServiceUnavailableError } from '../errors.js';
import type { OutageLog } from './outage-log.js';
import type { JobAttempt, RetryOptions } from './job-queue.js';

/** Longest wait between two tries to reach a service that is down: a restart is noticed within this long. */
export const RECONNECT_MAX_DELAY_MS = 1_000;

/**
 * The one reconnect policy, for PostgreSQL calls and Redis connections alike: 50 ms, doubling, at most
 * `RECONNECT_MAX_DELAY_MS`, with jitter so that every process does not knock at the same instant.
 */
export function reconnectDelayMs(attempt: number): number {
  const base = Math.min(RECONNECT_MAX_DELAY_MS, 50 * 2 ** Math.min(Math.max(attempt - 1, 0), 10));
  return Math.round(base * (0.75 + Math.random() * 0.25));
}

/**
 * One rule for every queue adapter: permanent errors never retry; rate limits wait as told; others back off. An
 * outage of the store or the queue (`ServiceUnavailableError`) is retried whatever the attempt: the job itself did
 * nothing wrong, so the queue adapters redeliver it without counting an attempt.
 */
export function retryDelayMs(error: unknown, { attempt, maxAttempts }: JobAttempt, backoffMs: number): number | undefined {
  if (error instanceof ServiceUnavailableError) return RECONNECT_MAX_DELAY_MS;
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

export interface OutageRetry {
  service: string;
  address: string;
  outages: OutageLog;
  /** Give up (ServiceUnavailableError) after the service has been unreachable this long: the execution deadline. */
  giveUpAfterMs: number;
}

/**
 * Runs one call to a service (a store method, a queue command) until it gets through: a driver error that says the
 * service is unreachable (`isServiceOutage`) is retried on the reconnect policy and reported once on `outages`; any
 * other error is the call's own and is thrown at once.
 */
export async function retryThroughOutage<T>(call: () => Promise<T>, retry: OutageRetry): Promise<T> {
  const firstFailure = { at: 0 };
  for (let attempt = 1; ; attempt++) {
    const startedAt = performance.now();
    try {
      const result = await call();
      retry.outages.reached(retry.service, startedAt);
      return result;
    } catch (error) {
      if (!isServiceOutage(error)) throw error;
      retry.outages.failed(retry.service, retry.address, error, startedAt);
      firstFailure.at ||= startedAt;
      if (performance.now() - firstFailure.at >= retry.giveUpAfterMs) {
        throw new ServiceUnavailableError(`${retry.service} at ${retry.address} unreachable for ${Math.round(retry.giveUpAfterMs / 1000)} s: ${errorMessage(error)}`, { cause: error });
      }
      await new Promise((resolve) => setTimeout(resolve, reconnectDelayMs(attempt)));
    }
  }
}
