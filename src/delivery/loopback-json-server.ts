/**
 * The plumbing the loopback platform fakes (LINE, Telegram) share: a node:http server on 127.0.0.1, port 0, that
 * hands each request's raw body to a handler and answers JSON. Never touches the network.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

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

/**
 * `handle` gets each request with its whole body and `arrivedAt`, the `performance.now()` of its head's arrival: a
 * call's time is when it reached the platform, not when the fake had got round to reading and parsing it.
 */
export async function startLoopbackJsonServer(
  handle: (req: IncomingMessage, raw: Buffer, arrivedAt: number) => JsonAnswer | Promise<JsonAnswer>,
): Promise<LoopbackJsonServer> {
  const sockets = new Set<Socket>();
  let connectionsAccepted = 0;
  const server = createServer((req, res) => {
    const arrivedAt = performance.now();
    readRawBody(req)
      .then((raw) => handle(req, raw, arrivedAt))
      .then(
        (answer) => sendJson(res, answer),
        (error: unknown) => sendJson(res, { status: 500, body: { message: String(error) } }),
      );
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    connectionsAccepted++;
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
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

/** Parses a JSON request body; undefined when it is not JSON. */
export function jsonOf(raw: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(raw.toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
