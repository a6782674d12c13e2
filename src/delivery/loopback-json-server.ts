/**
 * The plumbing the loopback platform fakes (LINE, Telegram) share: a node:http server (or, for the `line-webhooks`
 * bench, the raw transport of raw-http-server.ts) on 127.0.0.1, port 0, that hands each request's raw body to a
 * handler and answers JSON. Never touches the network.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { startRawHttpServer } from './raw-http-server.js';

export interface JsonAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface LoopbackJsonServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** TCP connections accepted so far (a client that keeps its connections alive opens few). */
  readonly connectionsAccepted: number;
  close(): Promise<void>;
}

export function readRawBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, answer: JsonAnswer): void {
  const text = JSON.stringify(answer.body);
  res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...answer.headers });
  res.end(text);
}

/** What a fake's handler reads of a request, from node:http or the raw transport. */
export type LoopbackRequest = Pick<IncomingMessage, 'method' | 'url' | 'headers'>;
type Handler = (req: LoopbackRequest, raw: Buffer, arrivedAt: number) => JsonAnswer | Promise<JsonAnswer>;

/**
 * `handle` gets each request with its whole body and `arrivedAt`, the `performance.now()` of its head's arrival: a
 * call's time is when it reached the platform, not when the fake had got round to reading and parsing it.
 * `rawHttp`: over `startRawHttpServer` instead of node:http (the `line-webhooks` bench; see there why); the handler
 * must then answer at once, not with a promise.
 */
export async function startLoopbackJsonServer(handle: Handler, options: { rawHttp?: boolean } = {}): Promise<LoopbackJsonServer> {
  const server = options.rawHttp ? await startRawHttpServer(rawHandler(handle)) : createServer(nodeHandler(handle));
  const sockets = new Set<Socket>();
  let connectionsAccepted = 0;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    connectionsAccepted++;
    socket.on('close', () => sockets.delete(socket));
  });
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    get connectionsAccepted() {
      return connectionsAccepted;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function nodeHandler(handle: Handler) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const arrivedAt = performance.now();
    readRawBody(req)
      .then((raw) => handle(req, raw, arrivedAt))
      .then(
        (answer) => sendJson(res, answer),
        (error: unknown) => sendJson(res, { status: 500, body: { message: String(error) } }),
      );
  };
}

function rawHandler(handle: Handler): Parameters<typeof startRawHttpServer>[0] {
  return (request, raw, arrivedAt) => {
    const answer = handle(request, raw, arrivedAt);
    if (answer instanceof Promise) throw new Error('a rawHttp handler must answer at once');
    return { status: answer.status, headers: { 'content-type': 'application/json; charset=utf-8', ...answer.headers }, body: JSON.stringify(answer.body) };
  };
}

/** Parses a JSON request body; undefined when it is not JSON. */
export function jsonOf(raw: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(raw.toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
