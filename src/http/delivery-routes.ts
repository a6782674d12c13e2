import type { FastifyInstance } from 'fastify';
import { CHANNEL_NAMES, type MorningBrief } from '../delivery/delivery-channel.js';
import { briefOfExecution, latestDeliverableExecution } from '../delivery/deliver.js';
import { toSubscriptionInput } from '../delivery/subscription-input.js';
import { UnknownTickerError } from '../registry/unknown-ticker-error.js';
import type { Language } from '../report/narrative-contract.js';
import { requireAdmin } from './execution-routes.js';
import type { RouteContext } from './http-deps.js';
import { HttpError } from './http-errors.js';
import { errorResponses, SYMBOL_PATTERN } from './schemas.js';

const subscriptionSchema = {
  type: 'object',
  properties: {
    subscription_id: { type: 'string' },
    channel: { type: 'string', enum: CHANNEL_NAMES },
    address: { type: 'string' },
    tickers: { type: 'array', items: { type: 'string' } },
    language: { type: 'string', enum: ['th', 'en'] },
    deliver_at: { type: ['string', 'null'] },
    active: { type: 'boolean' },
    disabled_reason: { type: ['string', 'null'] },
    created_at: { type: 'string' },
    updated_at: { type: 'string' },
  },
} as const;

const idParams = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: { type: 'string', pattern: '^sub_[0-9a-f]{1,64}$' } },
} as const;

interface SubscriptionBody {
  channel: string;
  address: string;
  tickers?: string[];
  language?: string;
  deliver_at?: string | null;
}

/** Briefs kept per (execution, language): computed once per execution, like its reports. */
const BRIEFS_KEPT = 16;

/** The morning brief (public) and the subscriptions (admin). */
export function registerDeliveryRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { http, writeLimit } = ctx;
  const { store } = http;
  const briefs = new Map<string, Promise<MorningBrief>>();
  const admin = requireAdmin(http.config.DAYBREAK_ADMIN_TOKEN);

  app.get<{ Querystring: { language?: Language } }>(
    '/api/v1/brief',
    {
      schema: {
        tags: ['market'],
        summary: 'The morning brief of the newest finished execution',
        description:
          'Breadth (advancers, decliners), calls, best and worst three, by market, and a short narrative with numbers injected ' +
          'by code, in `language` (default REPORT_LANGUAGE). Computed once per execution.',
        querystring: { type: 'object', additionalProperties: false, properties: { language: { type: 'string', enum: ['th', 'en'] } } },
        response: { 200: { type: 'object', additionalProperties: true }, ...errorResponses(400, 404) },
      },
    },
    async (request, reply) => {
      const language = request.query.language ?? http.deps.settings.language;
      const execution = await latestDeliverableExecution(store);
      if (!execution) throw new HttpError(404, 'brief_not_ready', 'no finished execution with reports yet: the brief comes with the first run');
      const key = `${execution.execution_id}|${language}`;
      let brief = briefs.get(key);
      if (!brief) {
        brief = briefOfExecution(store, execution, language);
        briefs.set(key, brief);
        brief.catch(() => briefs.delete(key));
        if (briefs.size > BRIEFS_KEPT) briefs.delete(briefs.keys().next().value!);
      }
      reply.header('cache-control', 'public, max-age=60');
      return brief;
    },
  );

  const channelsOrThrow = () => {
    if (!http.delivery) throw new HttpError(503, 'delivery_unavailable', 'delivery is not set up in this server');
    return http.delivery.channels;
  };

  app.get(
    '/api/v1/subscriptions',
    {
      onRequest: admin,
      schema: {
        tags: ['admin'],
        summary: 'Every subscription, active or disabled with the reason (admin)',
        security: [{ bearerAuth: [] }],
        response: { 200: { type: 'object', properties: { subscriptions: { type: 'array', items: subscriptionSchema } } }, ...errorResponses(401, 503) },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      return { subscriptions: await store.listSubscriptions() };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/subscriptions/:id',
    {
      onRequest: admin,
      schema: { tags: ['admin'], summary: 'One subscription (admin)', security: [{ bearerAuth: [] }], params: idParams, response: { 200: subscriptionSchema, ...errorResponses(400, 401, 404, 503) } },
    },
    async (request, reply) => {
      const subscription = await store.getSubscription(request.params.id);
      if (!subscription) throw new HttpError(404, 'subscription_not_found', `no subscription ${request.params.id}`, { subscription_id: request.params.id });
      reply.header('cache-control', 'no-store');
      return subscription;
    },
  );

  app.post<{ Body: SubscriptionBody }>(
    '/api/v1/subscriptions',
    {
      onRequest: admin,
      preHandler: writeLimit,
      schema: {
        tags: ['admin'],
        summary: 'Subscribe an address, or update its subscription (admin)',
        description:
          'One subscription per (channel, address): 201 when created, 200 when the existing one was updated (and re-enabled). ' +
          'Unknown symbols, bad addresses, unknown or unconfigured channels are 400 with the reason.',
        security: [{ bearerAuth: [] }],
        body: {
          type: 'object',
          required: ['channel', 'address'],
          additionalProperties: false,
          properties: {
            channel: { type: 'string', maxLength: 20 },
            address: { type: 'string', minLength: 1, maxLength: 2000 },
            tickers: { type: 'array', maxItems: 100, items: { type: 'string', pattern: SYMBOL_PATTERN } },
            language: { type: 'string', maxLength: 5 },
            deliver_at: { type: ['string', 'null'], maxLength: 5 },
          },
        },
        response: { 200: subscriptionSchema, 201: subscriptionSchema, ...errorResponses(400, 401, 429, 503) },
      },
    },
    async (request, reply) => {
      const body = request.body;
      let input;
      try {
        input = toSubscriptionInput(
          { channel: body.channel, to: body.address, ...(body.tickers && { tickers: body.tickers }), ...(body.language !== undefined && { language: body.language }), at: body.deliver_at ?? null },
          http.registry,
          channelsOrThrow(),
        );
      } catch (error) {
        // In a body an unknown symbol is bad input (400), with the same suggestions as everywhere.
        if (error instanceof UnknownTickerError) {
          throw new HttpError(400, 'unknown_ticker', error.message, { input: error.input, suggestions: error.suggestions, field: 'tickers' });
        }
        throw error;
      }
      const { subscription, created } = await store.upsertSubscription(input, http.now().toISOString());
      return reply.code(created ? 201 : 200).header('location', `/api/v1/subscriptions/${subscription.subscription_id}`).send(subscription);
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/v1/subscriptions/:id',
    {
      onRequest: admin,
      preHandler: writeLimit,
      schema: { tags: ['admin'], summary: 'Delete a subscription (admin)', security: [{ bearerAuth: [] }], params: idParams, response: { 204: { type: 'null' }, ...errorResponses(400, 401, 404, 503) } },
    },
    async (request, reply) => {
      if (!(await store.deleteSubscription(request.params.id))) {
        throw new HttpError(404, 'subscription_not_found', `no subscription ${request.params.id}`, { subscription_id: request.params.id });
      }
      return reply.code(204).send();
    },
  );
}
