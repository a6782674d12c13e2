import fastifyCompress from '@fastify/compress';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { JOB_ENDED, type JobEndedEvent } from '../pipeline/pipeline-deps.js';
import { BackgroundRuns } from './background-runs.js';
import { registerDeliveryRoutes } from './delivery-routes.js';
import { registerChatRoutes } from './chat-routes.js';
import { registerExecutionRoutes } from './execution-routes.js';
import type { HttpDeps, RouteContext } from './http-deps.js';
import { envelope, errorEnvelopeSchema, HttpError, installErrorHandling, sendError, toHttpError } from './http-errors.js';
import { registerMarketRoutes } from './market-routes.js';
import { ServerMetrics } from './metrics.js';
import { registerOpsRoutes } from './ops-routes.js';
import { ReportCache } from './report-cache.js';
import { registerReportRoutes } from './report-routes.js';
import { findWebRoot, registerStaticRoutes } from './static-routes.js';
import { registerTrackRecordRoutes } from './track-record-routes.js';

export type { HttpDeps } from './http-deps.js';

declare module 'fastify' {
  interface FastifyInstance {
    reportCache: ReportCache;
    backgroundRuns: BackgroundRuns;
  }
}

/** Bodies of write requests are small JSON objects. */
const BODY_LIMIT_BYTES = 64 * 1024;

/**
 * Builds the API and web page on fastify, ready for `inject` or `listen` (it never listens itself). Before it
 * returns, every ticker's latest report is in memory; from then on the cache follows the store by polling
 * (`REPORT_CACHE_POLL_MS`) and reloads at once when a worker of this process finishes a report. Closing the server
 * stops the polling; the caller still owns the queue and the app.
 */
export async function buildServer(http: HttpDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: http.logger ?? false,
    // One line per event, not per request: request logging would cost more than serving a report.
    logController: new LogController({ disableRequestLogging: true }),
    // No per-request child logger (pino's child() costs more than the rest of a report request); errors are logged
    // with the URL instead of a request id.
    childLoggerFactory: (logger) => logger,
    trustProxy: http.config.TRUST_PROXY,
    bodyLimit: BODY_LIMIT_BYTES,
    return503OnClosing: true,
    // Malformed URLs and the like, found before routing, get the same envelope as everything else.
    frameworkErrors: (error, _request, reply) => {
      void sendError(reply, toHttpError(error));
    },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    ajv: {
      // Unknown fields are errors (not silently dropped); query strings are coerced to the declared types.
      customOptions: { removeAdditional: false, coerceTypes: true, useDefaults: true, allErrors: true },
    },
  });
  installErrorHandling(app);
  app.addSchema(errorEnvelopeSchema);

  const cache = new ReportCache(http.store, {
    now: http.now,
    log: app.log,
    onLoaded: () => metrics.cacheReloads.inc(),
  });
  const metrics = new ServerMetrics(http.deps, cache);
  const runs = new BackgroundRuns(http.deps, app.log, (http.mode ?? 'embedded') === 'embedded');
  app.decorate('reportCache', cache);
  app.decorate('backgroundRuns', runs);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Daybreak API',
        version: '1',
        description:
          'Precomputed daily analysis reports per ticker, served from memory; on-demand generation, executions, rankings. ' +
          'Errors are `{ "error": { "code", "message", "details" } }`.',
      },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
      tags: [
        { name: 'reports', description: 'reports and on-demand generation' },
        { name: 'market', description: 'search, rankings and the ticker list, from stored reports only' },
        { name: 'executions', description: 'precompute runs and their jobs' },
        { name: 'admin', description: 'needs the admin bearer token (precompute runs, subscriptions)' },
        { name: 'ops', description: 'health, metrics, this document' },
      ],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  // Dynamic responses only: the report route sends pre-compressed bytes and opts out.
  await app.register(fastifyCompress, { global: true, threshold: 1024, encodings: ['br', 'gzip'], globalDecompression: false });
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new HttpError(
        429,
        'rate_limited',
        `too many write requests from this address: at most ${context.max} per minute; try again in ${context.after}`,
        { limit_per_minute: context.max, retry_after: context.after },
      ),
  });
  const writeLimit = app.rateLimit({ max: http.config.RATE_LIMIT_WRITES_PER_MIN, timeWindow: 60_000 });

  // Request latency for Prometheus: one cached histogram child per method/route/status.
  app.addHook('onResponse', (request, reply, done) => {
    metrics.observeRequest(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    done();
  });

  const ctx: RouteContext = { http, cache, runs, metrics, writeLimit, startedAt: performance.now() };
  registerReportRoutes(app, ctx);
  registerExecutionRoutes(app, ctx);
  registerMarketRoutes(app, ctx);
  registerOpsRoutes(app, ctx);
  registerDeliveryRoutes(app, ctx);
  registerTrackRecordRoutes(app, ctx);
  registerChatRoutes(app, ctx);
  registerStaticRoutes(app, http.webRoot === undefined ? findWebRoot() : (http.webRoot ?? undefined));

  // Reports made by this process's workers are in memory as soon as their job ends.
  const onJobEnded = ({ job }: JobEndedEvent) => {
    if (job.status === 'completed') {
      cache.reload(job.ticker).catch((error) => app.log.warn({ ticker: job.ticker, err: String(error) }, 'report cache reload failed'));
    }
  };
  http.deps.events.on(JOB_ENDED, onJobEnded);
  app.addHook('onClose', async () => {
    http.deps.events.off(JOB_ENDED, onJobEnded);
    await cache.stop();
    metrics.close();
  });

  await cache.load();
  cache.start(http.config.REPORT_CACHE_POLL_MS);
  await app.ready();
  return app;
}

export { envelope };
