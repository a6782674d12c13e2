import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { InputError } from '../errors.js';
import { UnknownTickerError } from '../registry/unknown-ticker-error.js';

/** The one error shape of the API: `{ "error": { "code", "message", "details" } }`. */
export interface ErrorEnvelope {
  error: { code: string; message: string; details: Record<string, unknown> };
}

/** An error the API answers with as it is: a status, a stable machine code and a message for people. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function envelope(code: string, message: string, details: Record<string, unknown> = {}): ErrorEnvelope {
  return { error: { code, message, details } };
}

/** JSON schema of the envelope, for the OpenAPI document. */
export const errorEnvelopeSchema = {
  $id: 'ErrorEnvelope',
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'details'],
      properties: {
        code: { type: 'string', description: 'stable machine-readable code, e.g. unknown_ticker, invalid_request' },
        message: { type: 'string' },
        details: { type: 'object', additionalProperties: true },
      },
    },
  },
} as const;

const STATUS_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  408: 'request_timeout',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  503: 'unavailable',
};

/**
 * Maps anything thrown in a route to the envelope: our `HttpError` as is; an unknown symbol → 404 with "did you
 * mean" suggestions; any other `InputError` → 400; fastify's schema validation → 400 listing every problem;
 * fastify's own 4xx (bad JSON, body too large, wrong content type) keep their status. Everything else is a 500
 * whose message says nothing about the inside; the stack goes to the log only.
 */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof UnknownTickerError) {
    return new HttpError(404, 'unknown_ticker', error.message, { input: error.input, suggestions: error.suggestions });
  }
  if (error instanceof InputError) return new HttpError(400, 'bad_request', error.message, error.details);
  const e = error as Partial<FastifyError> & { validation?: { instancePath?: string; message?: string; params?: unknown }[] };
  if (Array.isArray(e.validation)) {
    const where = e.validationContext ?? 'request';
    return new HttpError(400, 'invalid_request', e.message ?? 'invalid request', {
      in: where,
      issues: e.validation.map((v) => ({ path: `${where}${v.instancePath ?? ''}`, message: v.message ?? 'is invalid', params: v.params })),
    });
  }
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
  if (status >= 400 && status < 500) {
    return new HttpError(status, STATUS_CODES[status] ?? 'bad_request', e.message ?? 'bad request', e.code ? { fastify_code: e.code } : {});
  }
  return new HttpError(500, 'internal_error', 'internal error: the server could not answer; the problem has been logged');
}

export function sendError(reply: FastifyReply, error: HttpError): FastifyReply {
  for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
  return reply
    .code(error.statusCode)
    .header('cache-control', 'no-store')
    .type('application/json; charset=utf-8')
    .send(envelope(error.code, error.message, error.details));
}

/** Installs the error and not-found handlers on the root instance. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const mapped = toHttpError(error);
    if (mapped.statusCode >= 500) request.log.error({ err: error, url: request.url }, 'request failed');
    return sendError(reply, mapped);
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, new HttpError(404, 'not_found', `no route ${request.method} ${request.url.split('?')[0]}`, { see: '/api/v1/openapi.json' })),
  );
}
