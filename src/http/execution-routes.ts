import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { summarizeExecution } from '../pipeline/execution-summary.js';
import { startExecution } from '../pipeline/precompute.js';
import { UnknownTickerError } from '../registry/unknown-ticker-error.js';
import type { ExecutionRequest, ExecutionStatus } from '../store/store.js';
import { HttpError } from './http-errors.js';
import type { RouteContext } from './http-deps.js';
import { errorResponses, EXECUTION_ID_PATTERN, executionSummarySchema, SYMBOL_PATTERN } from './schemas.js';

const EXECUTION_STATUSES: ExecutionStatus[] = ['running', 'completed', 'completed_with_failures', 'failed', 'timed_out'];

export const executionUrl = (id: string) => `/api/v1/executions/${encodeURIComponent(id)}`;

/**
 * Compares a presented token with the configured one in constant time. Both are hashed first, so the comparison
 * runs on equal-length buffers whatever was sent and its length leaks nothing.
 */
export function tokenMatches(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/** Admin authentication, before the body is parsed: 503 when no token is configured, 401 without the right one. */
export function requireAdmin(expected: string | undefined) {
  return async (request: FastifyRequest): Promise<void> => {
    if (!expected) {
      throw new HttpError(503, 'admin_disabled', 'admin endpoints are disabled: set DAYBREAK_ADMIN_TOKEN on the server to enable them');
    }
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    if (!match || !tokenMatches(match[1]!, expected)) {
      throw new HttpError(
        401,
        'unauthorized',
        match ? 'the bearer token is not valid' : 'this endpoint needs `Authorization: Bearer <DAYBREAK_ADMIN_TOKEN>`',
        {},
        { 'www-authenticate': 'Bearer realm="daybreak-admin"' },
      );
    }
  };
}

interface PrecomputeBody {
  limit?: number;
  tickers?: string[];
  only_failed?: string;
}

/** Executions: the list, one with per-ticker status, and the admin trigger. */
export function registerExecutionRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { http, runs, writeLimit } = ctx;
  const { store } = http;

  app.get<{ Querystring: { limit: number; status?: ExecutionStatus } }>(
    '/api/v1/executions',
    {
      schema: {
        tags: ['executions'],
        summary: 'Recent executions, newest first',
        description: 'Counts per execution; the jobs and failures are in the detail.',
        querystring: {
          type: 'object',
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: 200, default: 20 },
            status: { type: 'string', enum: EXECUTION_STATUSES },
          },
        },
        response: {
          200: { type: 'object', properties: { executions: { type: 'array', items: executionSummarySchema } } },
          ...errorResponses(400),
        },
      },
    },
    async (request, reply) => {
      const executions = await store.listExecutions({ limit: request.query.limit, ...(request.query.status && { status: request.query.status }) });
      reply.header('cache-control', 'no-store');
      return {
        executions: executions.map((e) => {
          const { failures: _failures, ...summary } = summarizeExecution(e, [], { includeJobs: false });
          return { ...summary, url: executionUrl(e.execution_id) };
        }),
      };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/executions/:id',
    {
      schema: {
        tags: ['executions'],
        summary: 'One execution with every job (per-ticker status, attempts, error)',
        params: {
          type: 'object',
          required: ['id'],
          additionalProperties: false,
          properties: { id: { type: 'string', pattern: EXECUTION_ID_PATTERN } },
        },
        response: { 200: executionSummarySchema, ...errorResponses(400, 404) },
      },
    },
    async (request, reply) => {
      const execution = await store.getExecution(request.params.id);
      if (!execution) {
        throw new HttpError(404, 'execution_not_found', `no execution ${request.params.id}`, { execution_id: request.params.id });
      }
      reply.header('cache-control', 'no-store');
      return summarizeExecution(execution, await store.listJobs(execution.execution_id), {
        includeJobs: true,
        delivery: (await store.getDeliverySummary(execution.execution_id)) ?? null,
      });
    },
  );

  app.post<{ Body: PrecomputeBody | null | undefined }>(
    '/api/v1/precompute',
    {
      onRequest: requireAdmin(http.config.DAYBREAK_ADMIN_TOKEN),
      preHandler: writeLimit,
      schema: {
        tags: ['admin'],
        summary: 'Start a precompute run (admin)',
        description:
          'Needs `Authorization: Bearer <DAYBREAK_ADMIN_TOKEN>`. Same choices as `daybreak precompute`: all active tickers, ' +
          'the first `limit`, a list of `tickers` (any form), or `only_failed` (the failed tickers of an execution). ' +
          'Answers 202 with the execution id at once; the run goes on in the background. Rate-limited per IP.',
        security: [{ bearerAuth: [] }],
        body: {
          type: ['object', 'null'],
          additionalProperties: false,
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: 100_000 },
            tickers: { type: 'array', minItems: 1, maxItems: 10_000, items: { type: 'string', pattern: SYMBOL_PATTERN } },
            only_failed: { type: 'string', pattern: EXECUTION_ID_PATTERN },
          },
        },
        response: {
          202: {
            type: 'object',
            properties: {
              execution_id: { type: 'string' },
              status: { type: 'string' },
              source: { type: 'string' },
              total: { type: 'integer' },
              status_url: { type: 'string' },
            },
          },
          ...errorResponses(400, 401, 429, 503),
        },
      },
    },
    async (request, reply) => {
      const body = request.body ?? {};
      if (body.only_failed && body.tickers) {
        throw new HttpError(400, 'invalid_request', 'only_failed and tickers cannot be combined', { fields: ['only_failed', 'tickers'] });
      }
      // Unknown symbols in a body are bad input (400), with the same suggestions as everywhere.
      for (const symbol of body.tickers ?? []) {
        if (!http.registry.resolve(symbol)) {
          const unknown = new UnknownTickerError(symbol, http.registry.suggest(symbol));
          throw new HttpError(400, 'unknown_ticker', unknown.message, { input: symbol, suggestions: unknown.suggestions, field: 'tickers' });
        }
      }
      const executionRequest: ExecutionRequest = {
        ...(body.limit !== undefined && { limit: body.limit }),
        ...(body.tickers && { tickers: body.tickers }),
        ...(body.only_failed && { only_failed: body.only_failed }),
      };
      const execution = await startExecution(http.deps, http.queue, executionRequest, 'manual');
      void runs.follow(execution);
      const url = executionUrl(execution.execution_id);
      return reply.code(202).header('location', url).send({
        execution_id: execution.execution_id,
        status: execution.status,
        source: execution.source,
        total: execution.total,
        status_url: url,
      });
    },
  );
}
