import type { FastifyInstance } from 'fastify';
import { errorMessage } from '../errors.js';
import type { RouteContext } from './http-deps.js';

const STORE_CHECK_TIMEOUT_MS = 2_000;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Health, Prometheus metrics and the OpenAPI document. */
export function registerOpsRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { http, cache, metrics } = ctx;

  app.get(
    '/api/v1/health',
    {
      schema: {
        tags: ['ops'],
        summary: 'Liveness and readiness of the store and the queue',
        description: '200 ok (or degraded when the queue is not ready); 503 when the store does not answer.',
        response: {
          200: { type: 'object', additionalProperties: true },
          503: { type: 'object', additionalProperties: true },
        },
      },
    },
    async (_request, reply) => {
      const started = performance.now();
      let store: { ok: boolean; kind: string; latency_ms: number; error?: string };
      try {
        await withTimeout(http.store.listExecutions({ limit: 1 }), STORE_CHECK_TIMEOUT_MS, 'the store');
        store = { ok: true, kind: http.store.kind, latency_ms: round(performance.now() - started) };
      } catch (error) {
        store = { ok: false, kind: http.store.kind, latency_ms: round(performance.now() - started), error: errorMessage(error) };
      }
      let queue: { ok: boolean; kind: string; error?: string };
      try {
        const checked = http.checkQueue ? await withTimeout(http.checkQueue(), STORE_CHECK_TIMEOUT_MS, 'the queue') : { ok: true };
        queue = { kind: http.queue.kind, ...checked };
      } catch (error) {
        queue = { ok: false, kind: http.queue.kind, error: errorMessage(error) };
      }
      const status = !store.ok ? 'down' : queue.ok ? 'ok' : 'degraded';
      reply.code(store.ok ? 200 : 503).header('cache-control', 'no-store');
      return {
        status,
        mode: http.mode ?? 'embedded',
        store,
        queue,
        reports_cached: cache.size,
        reports_stale: cache.all().filter((e) => cache.isStale(e)).length,
        today: cache.today(),
        schedule: http.scheduleStatus?.() ?? null,
        uptime_s: Math.round((performance.now() - ctx.startedAt) / 1000),
      };
    },
  );

  app.get(
    '/metrics',
    { schema: { tags: ['ops'], summary: 'Prometheus metrics (text exposition format)', response: { 200: { type: 'string' } } } },
    async (_request, reply) => {
      const { contentType, body } = await metrics.render();
      return reply.header('cache-control', 'no-store').type(contentType).send(body);
    },
  );

  app.get(
    '/api/v1/openapi.json',
    { schema: { tags: ['ops'], summary: 'This API as an OpenAPI 3 document', response: { 200: { type: 'object', additionalProperties: true } } } },
    async (_request, reply) => reply.header('cache-control', 'no-cache').type('application/json; charset=utf-8').send(JSON.stringify(app.swagger())),
  );
}

const round = (ms: number) => Math.round(ms * 100) / 100;
