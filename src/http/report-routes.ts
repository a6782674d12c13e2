import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { gzip as gzipCb } from 'node:zlib';
import { promisify } from 'node:util';
import { startExecution } from '../pipeline/precompute.js';
import { readReportInputs } from '../pipeline/report-inputs.js';
import type { Ticker } from '../registry/ticker.js';
import { jobIdFor } from '../store/sql-store.js';
import type { JobRecord } from '../store/store.js';
import { HttpError } from './http-errors.js';
import { requireAdmin } from './execution-routes.js';
import type { RouteContext } from './http-deps.js';
import { type CachedReport, etagMatches, pickEncoding } from './report-cache.js';
import { errorResponses, JOB_ID_PATTERN, jobSchema, symbolParams } from './schemas.js';

const gzip = promisify(gzipCb);
const JSON_TYPE = 'application/json; charset=utf-8';
const CHART_MAX_AGE_S = 365 * 86_400;

export const reportUrl = (ticker: string) => `/api/v1/report/${encodeURIComponent(ticker)}`;
export const statusUrl = (jobId: string) => `/api/v1/report/status/${encodeURIComponent(jobId)}`;

function notReady(ticker: Ticker): HttpError {
  return new HttpError(
    404,
    'report_not_ready',
    `${ticker.symbol} is known but has no report yet: the daily run has not computed it. ` +
      `POST ${reportUrl(ticker.symbol)} to generate it now.`,
    { ticker: ticker.symbol, generate_url: reportUrl(ticker.symbol) },
  );
}

function jobView(job: Pick<JobRecord, 'job_id' | 'ticker' | 'status'> & Partial<JobRecord>) {
  return {
    ...job,
    status_url: statusUrl(job.job_id),
    report_url: job.status === 'completed' ? reportUrl(job.ticker) : null,
  };
}

/**
 * Reports: the hot read path, its chart, on-demand generation and job polling. The read path never touches the
 * store: it picks pre-made bytes from the cache by ticker, staleness and Accept-Encoding.
 */
export function registerReportRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { http, cache, runs, writeLimit } = ctx;
  const { registry } = http;
  /** On-demand runs of this process still going, by ticker (the job id, once started): a second POST gets that job. */
  const onDemand = new Map<string, Promise<string>>();
  const requireAdminForForce = requireAdmin(http.config.DAYBREAK_ADMIN_TOKEN);

  /**
   * Whether today's stored report was made from the inputs the store holds now. The peer set is the one of the
   * execution that made the report (peers are computed across the universe once per run); the daily run notices
   * changes to the other tickers' prices. A report made before fingerprints existed counts as unchanged.
   */
  async function todaysReportCurrent(ticker: Ticker, today: string) {
    const latest = await http.store.getLatestReportInputs(ticker.symbol);
    if (latest?.business_date !== today) return undefined;
    if (!latest.inputs_fingerprint) return latest;
    const peers = await http.store.getPeerSet(latest.execution_id, ticker.symbol);
    const now = await readReportInputs(http.deps, ticker, today, peers && peers.top.length > 0 ? peers : null);
    return now?.fingerprint === latest.inputs_fingerprint ? latest : undefined;
  }

  function sendReport(request: FastifyRequest, reply: FastifyReply, entry: CachedReport): FastifyReply {
    const body = cache.bodyFor(entry);
    const encoding = pickEncoding(request.headers['accept-encoding']);
    reply.header('cache-control', 'no-cache').header('vary', 'accept-encoding');
    if (etagMatches(request.headers['if-none-match'], body)) {
      return reply.code(304).header('etag', encoding === 'identity' ? body.etag : encoding === 'br' && body.br ? body.etagBr : body.etagGzip).send();
    }
    reply.header('content-type', JSON_TYPE);
    if (encoding === 'identity') return reply.header('etag', body.etag).send(body.identity);
    if (encoding === 'br') {
      if (body.br) return reply.header('etag', body.etagBr).header('content-encoding', 'br').send(body.br);
      cache.ensureBrotli(body);
    }
    return reply.header('etag', body.etagGzip).header('content-encoding', 'gzip').send(body.gzip);
  }

  /** `?include=chart_base64`: the one variant built per request (it parses), compressed when the client accepts it. */
  async function sendWithChart(request: FastifyRequest, reply: FastifyReply, entry: CachedReport): Promise<FastifyReply> {
    const base = cache.bodyFor(entry);
    const etag = `"${base.etag.slice(1, -1)}-chart"`;
    reply.header('cache-control', 'no-cache').header('vary', 'accept-encoding').header('etag', etag);
    if (request.headers['if-none-match']?.includes(etag)) return reply.code(304).send();
    const report = JSON.parse(base.identity.toString('utf8')) as Record<string, unknown>;
    const png = await cache.chartOf(entry);
    report.chart_base64 = png ? png.toString('base64') : null;
    const json = Buffer.from(JSON.stringify(report));
    reply.header('content-type', JSON_TYPE);
    if (pickEncoding(request.headers['accept-encoding']) === 'identity') return reply.send(json);
    return reply.header('content-encoding', 'gzip').send(await gzip(json));
  }

  app.get<{ Params: { symbol: string }; Querystring: { include?: 'chart_base64' } }>(
    '/api/v1/report/:symbol',
    {
      compress: false,
      schema: {
        tags: ['reports'],
        summary: 'The latest report of a ticker',
        description:
          'Any symbol form. Served from memory with ETag (If-None-Match → 304) and gzip/br. When today\'s report is not ' +
          'there yet, the latest available one is served with `stale: true` and its `as_of`. The body leaves `chart_base64` ' +
          'out unless `?include=chart_base64`; `chart_url` points at the PNG.',
        params: symbolParams,
        querystring: {
          type: 'object',
          properties: { include: { type: 'string', enum: ['chart_base64'], description: 'add the chart PNG as base64' } },
        },
        response: {
          200: { description: 'the report JSON (DESIGN §5.2)', type: 'object', additionalProperties: true },
          304: { description: 'not modified: the ETag still names the report', type: 'null' },
          ...errorResponses(400, 404),
        },
      },
    },
    (request, reply) => {
      const ticker = registry.resolveOrThrow(request.params.symbol);
      const entry = cache.get(ticker.symbol);
      if (!entry) throw notReady(ticker);
      if (request.query.include === 'chart_base64') return sendWithChart(request, reply, entry);
      return sendReport(request, reply, entry);
    },
  );

  app.get<{ Params: { symbol: string }; Querystring: { v?: string } }>(
    '/api/v1/report/:symbol/chart.png',
    {
      compress: false,
      schema: {
        tags: ['reports'],
        summary: 'The chart of the latest report (PNG)',
        description:
          'With `?v=<execution_id>` (as in the report\'s `chart_url`) the PNG is cached for a year (immutable); without it, for five minutes.',
        params: symbolParams,
        querystring: { type: 'object', properties: { v: { type: 'string', maxLength: 100 } } },
        response: { 200: { description: 'image/png', type: 'string', format: 'binary' }, ...errorResponses(400, 404) },
      },
    },
    async (request, reply) => {
      const ticker = registry.resolveOrThrow(request.params.symbol);
      const entry = cache.get(ticker.symbol);
      if (!entry) throw notReady(ticker);
      const etag = `"${entry.executionId}-png"`;
      const immutable = request.query.v === entry.executionId;
      reply.header('cache-control', immutable ? `public, max-age=${CHART_MAX_AGE_S}, immutable` : 'public, max-age=300').header('etag', etag);
      if (request.headers['if-none-match']?.includes(etag)) return reply.code(304).send();
      const png = await cache.chartOf(entry);
      if (!png) {
        throw new HttpError(404, 'chart_not_available', `the report of ${ticker.symbol} for ${entry.businessDate} has no chart (see its warnings)`, {
          ticker: ticker.symbol,
        });
      }
      return reply.type('image/png').send(png);
    },
  );

  app.post<{ Params: { symbol: string }; Querystring: { force_refresh?: boolean }; Body: { force_refresh?: boolean } | undefined }>(
    '/api/v1/report/:symbol',
    {
      preHandler: writeLimit,
      schema: {
        tags: ['reports'],
        summary: 'Generate a report now (on demand)',
        description:
          'Answers at once. When today\'s report exists and was made from the inputs in the store now: 200 with its ' +
          '(completed) job. Otherwise (no report today, or its inputs changed) starts a one-ticker execution (source `api`) ' +
          'and answers 202 with the job id; poll `status_url`; a report whose inputs equal the latest stored one is carried ' +
          'forward at no cost. `force_refresh` (recompute even so, which may pay for an LLM call) is an admin action: it ' +
          'needs `Authorization: Bearer <DAYBREAK_ADMIN_TOKEN>`. A second request while that job runs gets the same job. ' +
          'Rate-limited per IP.',
        params: symbolParams,
        querystring: { type: 'object', properties: { force_refresh: { type: 'boolean' } } },
        body: {
          type: ['object', 'null'],
          additionalProperties: false,
          properties: { force_refresh: { type: 'boolean', description: 'admin: recompute even when today\'s report is current' } },
        },
        response: {
          200: { description: 'today\'s report exists: its job', ...jobSchema },
          202: { description: 'started: poll status_url', ...jobSchema },
          ...errorResponses(400, 401, 404, 429, 503),
        },
      },
    },
    async (request, reply) => {
      const force = request.body?.force_refresh ?? request.query.force_refresh ?? false;
      if (force) await requireAdminForForce(request);
      const ticker = registry.resolveOrThrow(request.params.symbol);
      const running = onDemand.get(ticker.symbol);
      if (running) {
        const job = await running.then((jobId) => http.store.getJob(jobId), () => undefined);
        if (job && (job.status === 'pending' || job.status === 'in_progress')) {
          return reply.code(202).header('location', statusUrl(job.job_id)).send(jobView(job));
        }
      }
      const before = running;
      if (!force) {
        // The store, not the cache: a report made by another process in the last poll interval counts too.
        const stored = await todaysReportCurrent(ticker, cache.today());
        if (stored) {
          const jobId = jobIdFor(ticker.symbol, stored.execution_id);
          const job = (await http.store.getJob(jobId)) ?? { job_id: jobId, ticker: ticker.symbol, execution_id: stored.execution_id, status: 'completed' as const };
          return reply.code(200).send(jobView(job));
        }
      }
      // Another request may have started a run while this one read the store: answer with that run's job.
      const started = onDemand.get(ticker.symbol);
      if (started && started !== before) {
        const job = await started.then((jobId) => http.store.getJob(jobId), () => undefined);
        if (job) return reply.code(job.status === 'completed' ? 200 : 202).header('location', statusUrl(job.job_id)).send(jobView(job));
      }
      // Registered before the next await, so a concurrent POST for the same ticker gets this run instead of starting
      // another.
      const starting = startExecution(http.deps, http.queue, { tickers: [ticker.symbol], ...(force && { force: true }) }, 'api');
      const pending = starting.then((e) => jobIdFor(ticker.symbol, e.execution_id));
      pending.catch(() => {}); // its failure is this request's error, answered below
      onDemand.set(ticker.symbol, pending);
      let execution: Awaited<typeof starting>;
      try {
        execution = await starting;
      } catch (error) {
        if (onDemand.get(ticker.symbol) === pending) onDemand.delete(ticker.symbol);
        throw error;
      }
      const jobId = jobIdFor(ticker.symbol, execution.execution_id);
      void runs.follow(execution).finally(() => {
        if (onDemand.get(ticker.symbol) === pending) onDemand.delete(ticker.symbol);
      });
      const job = (await http.store.getJob(jobId)) ?? { job_id: jobId, ticker: ticker.symbol, execution_id: execution.execution_id, status: 'pending' as const };
      return reply.code(202).header('location', statusUrl(jobId)).send(jobView(job));
    },
  );

  app.get<{ Params: { job_id: string } }>(
    '/api/v1/report/status/:job_id',
    {
      schema: {
        tags: ['reports'],
        summary: 'Status of a report job',
        description: 'The job record; `report_url` once it has completed.',
        params: {
          type: 'object',
          required: ['job_id'],
          additionalProperties: false,
          properties: { job_id: { type: 'string', pattern: JOB_ID_PATTERN, description: 'rpt_<DR>_<execution_id>' } },
        },
        response: { 200: jobSchema, ...errorResponses(400, 404) },
      },
    },
    async (request, reply) => {
      const job = await http.store.getJob(request.params.job_id);
      if (!job) {
        throw new HttpError(404, 'job_not_found', `no job ${request.params.job_id} (job records are kept ${http.config.JOB_TTL_DAYS} days)`, {
          job_id: request.params.job_id,
        });
      }
      reply.header('cache-control', 'no-store');
      return jobView(job);
    },
  );
}
