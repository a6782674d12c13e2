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

export function isPermanent(error: unknown): boolean {
  return error instanceof PermanentError || error instanceof InputError;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
