/**
 * The error vocabulary shared by sources, stores and the pipeline.
 * Anything that is not one of these is treated as transient: retried with backoff, then failed.
 */

/** Retrying cannot help: unknown or delisted symbol, no data, invalid data. The job fails at once. */
export class PermanentError extends Error {
  override name = 'PermanentError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The remote side asked us to slow down (HTTP 429, Retry-After). Retried after `retryAfterMs`. */
export class RetryLaterError extends Error {
  override name = 'RetryLaterError';
  constructor(
    message: string,
    readonly retryAfterMs: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Bad input from a person (flag, symbol, config value). Shown as a message, exit code 2 / HTTP 4xx. */
export class InputError extends Error {
  override name = 'InputError';
  constructor(
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/**
 * The store or the queue stayed unreachable for as long as we were willing to wait (thrown by the adapters once their
 * reconnect retries give up; the raw driver error is the cause). Never the job's fault: it costs no attempt.
 */
export class ServiceUnavailableError extends Error {
  override name = 'ServiceUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export function isPermanent(error: unknown): boolean {
  return error instanceof PermanentError || error instanceof InputError;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// PostgreSQL SQLSTATEs of a server that is going away or not there yet: admin_shutdown (fast/smart shutdown,
// failover), crash_shutdown, cannot_connect_now (starting up / shutting down), and class 08 (connection exception).
const OUTAGE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006']);
const OUTAGE_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
// What pg and ioredis say when a connection drops under a query, or a command gives up while reconnecting.
const OUTAGE_MESSAGES =
  /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect|Connection is closed|max retries per request limit|the database system is (starting up|shutting down|in recovery mode)/i;

/**
 * True when a driver error (pg, ioredis) says the service is unreachable or restarting, not that the statement or
 * command is wrong: the call is worth repeating once the service is back. Only the store and queue adapters ask:
 * the same errno from an HTTP source means something else.
 */
export function isServiceOutage(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  const e = error as { code?: unknown; message?: unknown; name?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && (OUTAGE_SQLSTATES.has(e.code) || OUTAGE_ERRNOS.has(e.code))) return true;
  if (e.name === 'MaxRetriesPerRequestError') return true;
  if (typeof e.message === 'string' && OUTAGE_MESSAGES.test(e.message)) return true;
  // Node wraps the per-address failures of one connect (IPv4 and IPv6) in an AggregateError.
  if (Array.isArray(e.errors) && e.errors.some((inner) => isServiceOutage(inner, depth + 1))) return true;
  return isServiceOutage(e.cause, depth + 1);
}
