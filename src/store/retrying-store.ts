import { type OutageRetry, retryThroughOutage } from '../queue/retry-policy.js';
import type { Store } from './store.js';

const DIRECT = Symbol('direct store');

/**
 * The store as the pipeline uses it in distributed mode: every method call that fails because PostgreSQL went away
 * (a restart, a failover) is retried on the reconnect policy until the service is back, instead of failing the job,
 * the follower or the process. Every method of the port is covered, whichever port interface it comes from. A
 * method is one statement or one transaction, so a retry repeats all of it or none; writes are idempotent upserts or
 * guarded updates (`startJob`, `finishJob` act only on a job that has not ended).
 */
export function withOutageRetry<S extends Store>(store: S, retry: OutageRetry): S {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === DIRECT) return target;
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || property === 'close' || property === 'constructor') return value;
      return (...args: unknown[]) => retryThroughOutage(() => Promise.resolve(value.apply(target, args)), retry);
    },
  });
}

/**
 * The same store without the retries, for callers that must answer now (an HTTP request, a health check) rather
 * than wait out an outage.
 */
export function withoutOutageRetry<S extends Store>(store: S): S {
  return ((store as unknown as Record<symbol, S>)[DIRECT] ?? store) as S;
}
