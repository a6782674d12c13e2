import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One POST the receiver accepted: its signature checked before the body was parsed. */
export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

export interface FakeWebhookReceiver {
  /** `http://127.0.0.1:PORT` */
  url: string;
  received: ReceivedWebhook[];
  /** Requests whose signature did not verify (answered 401, never parsed). */
  rejected: number;
  /** POSTs seen per path, accepted or not. */
  hits: Map<string, number>;
  /** How to answer a path: status and headers; default 204. Called per request, so it can change over time. */
  respond: (path: string, hit: number) => { status: number; headers?: Record<string, string>; delayMs?: number };
  close(): Promise<void>;
}

/**
 * A webhook endpoint on loopback that does what a careful receiver does: it verifies
 * `X-Daybreak-Signature-256` (HMAC-SHA256 of the raw body, constant-time) before parsing anything, then keeps the
 * parsed delivery unless told to answer otherwise. `keepBodies: false` counts without keeping (the bench).
 */
export async function startFakeWebhookReceiver(secret: string, options: { keepBodies?: boolean } = {}): Promise<FakeWebhookReceiver> {
  const keep = options.keepBodies ?? true;
  const state: FakeWebhookReceiver = {
    url: '',
    received: [],
    rejected: 0,
    hits: new Map(),
    respond: () => ({ status: 204 }),
    close: async () => {},
  };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const path = request.url ?? '/';
      const hit = (state.hits.get(path) ?? 0) + 1;
      state.hits.set(path, hit);
      const raw = Buffer.concat(chunks);
      const presented = String(request.headers['x-daybreak-signature-256'] ?? '');
      const expected = `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
      const valid = presented.length === expected.length && timingSafeEqual(Buffer.from(presented), Buffer.from(expected));
      if (!valid) {
        state.rejected++;
        response.writeHead(401).end();
        return;
      }
      const answer = state.respond(path, hit);
      const reply = () => {
        if (answer.status >= 200 && answer.status < 300) {
          if (keep) state.received.push({ path, headers: request.headers, body: JSON.parse(raw.toString('utf8')) as Record<string, unknown> });
          else state.received.length++;
        }
        response.writeHead(answer.status, answer.headers).end();
      };
      if (answer.delayMs) setTimeout(reply, answer.delayMs);
      else reply();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
