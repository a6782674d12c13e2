/**
 * JSON schemas shared by the routes. Fastify validates params, query and bodies with them before a handler runs
 * (a failure is a 400 in the error envelope), and @fastify/swagger turns them into the OpenAPI document.
 * Response schemas are documentation only where the payload is a Buffer (reports, charts, metrics).
 */

/** Any symbol form a person may type: NVDA19, nvda, D05.SI, 0700.HK, BRK-B. */
export const SYMBOL_PATTERN = '^[A-Za-z0-9][A-Za-z0-9.^=-]{0,31}$';
/** `precompute-YYYYMMDD-HHMMSS` and its `-N` suffix, or any id an older store holds: plain characters only. */
export const EXECUTION_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$';
/** `rpt_<DR>_<execution>`. */
export const JOB_ID_PATTERN = '^rpt_[A-Z0-9]{1,32}_[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$';

export const symbolParams = {
  type: 'object',
  required: ['symbol'],
  additionalProperties: false,
  properties: {
    symbol: { type: 'string', pattern: SYMBOL_PATTERN, description: 'any form: NVDA19, nvda, D05.SI, dbs' },
  },
} as const;

const errorRef = { $ref: 'ErrorEnvelope#' } as const;

/** The error responses a route may give, for the OpenAPI document. */
export function errorResponses(...codes: number[]): Record<number, unknown> {
  const descriptions: Record<number, string> = {
    400: 'bad input: the message says what, details.issues lists every problem',
    401: 'missing or wrong bearer token',
    404: 'not found (unknown ticker: details.suggestions)',
    429: 'too many write requests from this IP; Retry-After says when to try again',
    503: 'unavailable (store down, or admin disabled)',
  };
  return Object.fromEntries(codes.map((c) => [c, { description: descriptions[c] ?? 'error', ...errorRef }]));
}

export const jobSchema = {
  type: 'object',
  additionalProperties: true,
  properties: {
    job_id: { type: 'string' },
    execution_id: { type: 'string' },
    ticker: { type: 'string' },
    source: { type: 'string', enum: ['scheduler', 'manual', 'api'] },
    status: { type: 'string', enum: ['pending', 'in_progress', 'completed', 'failed'] },
    attempts: { type: 'integer' },
    error: { type: ['string', 'null'] },
    created_at: { type: 'string' },
    started_at: { type: ['string', 'null'] },
    finished_at: { type: ['string', 'null'] },
    duration_ms: { type: ['number', 'null'] },
    expires_at: { type: 'string' },
    status_url: { type: 'string' },
    report_url: { type: ['string', 'null'] },
  },
} as const;

export const executionSummarySchema = {
  type: 'object',
  additionalProperties: true,
  description: 'the execution summary of DESIGN §5.3',
  properties: {
    execution_id: { type: 'string' },
    status: { type: 'string', enum: ['running', 'completed', 'completed_with_failures', 'failed', 'timed_out'] },
    source: { type: 'string', enum: ['scheduler', 'manual', 'api'] },
    requested: { type: 'object', additionalProperties: true },
    business_date: { type: 'string' },
    total: { type: 'integer' },
    completed: { type: 'integer' },
    failed: { type: 'integer' },
    pending: { type: 'integer' },
    started_at: { type: 'string' },
    finished_at: { type: ['string', 'null'] },
    duration_ms: { type: ['number', 'null'] },
    slowest_job_ms: { type: ['number', 'null'] },
    cost_usd: { type: 'number' },
    failures: { type: 'array', items: { type: 'object', additionalProperties: true } },
    jobs: { type: 'array', items: { type: 'object', additionalProperties: true } },
    delivery: {
      type: ['object', 'null'],
      additionalProperties: true,
      description: 'where the deliveries of this execution stand (step 7): total, delivered, failed, skipped, failures',
    },
  },
} as const;

export const reportSummarySchema = {
  type: 'object',
  additionalProperties: true,
  properties: {
    ticker: { type: 'string' },
    company_name: { type: 'string' },
    price: { type: 'number' },
    price_change_pct: { type: ['number', 'null'] },
    currency: { type: 'string' },
    stance: { type: 'string' },
    volume_ratio: { type: ['number', 'null'] },
    as_of: { type: 'string' },
    business_date: { type: 'string' },
    stale: { type: 'boolean' },
    data_source: { type: 'string' },
  },
} as const;
