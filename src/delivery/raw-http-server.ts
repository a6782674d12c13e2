/**
 * A minimal HTTP/1.1 server over node:net for the loopback platform fakes under the `line-webhooks` bench: keep-alive
 * connections, requests one after another (pipelined ones too), bodies with `Content-Length` only.
 *
 * Why not node:http: in that bench the fake stands for LINE's servers on the same two cores as `serve`, and node:http's
 * server cost ~0.1 ms of CPU per request there (measured: the fake's process used 190 ms for a burst of 1,000 replies
 * with node:http, 91 ms with this), time the server under test would lose to a stand-in for machines that are not ours.
 * Tests keep node:http (`startLoopbackJsonServer` without `rawHttp`): it accepts whatever a real client sends.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { STATUS_CODES, type IncomingHttpHeaders } from 'node:http';

/** What a handler reads of a request. */
export interface RawRequest {
  method: string;
  url: string;
  /** Names in lower case. */
  headers: IncomingHttpHeaders;
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | number>;
  body: Buffer | string;
}

/** At most this much head or body; a request over it is refused and its connection closed. */
const MAX_REQUEST_BYTES = 8 * 1024 * 1024;

function headOf(text: string): { request: RawRequest; length: number } | { refuse: number; reason: string } {
  const lines = text.split('\r\n');
  const [method, url, version] = lines[0]!.split(' ');
  if (!method || !url || !version?.startsWith('HTTP/1.')) return { refuse: 400, reason: 'not an HTTP/1.x request line' };
  const headers: IncomingHttpHeaders = {};
  for (let i = 1; i < lines.length; i++) {
    const colon = lines[i]!.indexOf(':');
    if (colon <= 0) return { refuse: 400, reason: 'malformed header line' };
    headers[lines[i]!.slice(0, colon).trim().toLowerCase()] = lines[i]!.slice(colon + 1).trim();
  }
  if (headers['transfer-encoding']) return { refuse: 501, reason: 'Transfer-Encoding is not supported here; send Content-Length' };
  const length = Number(headers['content-length'] ?? 0);
  if (!Number.isInteger(length) || length < 0 || length > MAX_REQUEST_BYTES) return { refuse: 413, reason: 'bad or too large Content-Length' };
  return { request: { method, url, headers }, length };
}

function write(socket: Socket, answer: RawAnswer, close = false): void {
  const body = typeof answer.body === 'string' ? Buffer.from(answer.body) : answer.body;
  let head = `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? 'Status'}\r\ncontent-length: ${body.length}\r\nconnection: ${close ? 'close' : 'keep-alive'}\r\n`;
  for (const [name, value] of Object.entries(answer.headers)) head += `${name}: ${value}\r\n`;
  socket.write(Buffer.concat([Buffer.from(`${head}\r\n`, 'latin1'), body]));
  if (close) socket.end();
}

/**
 * Listens on 127.0.0.1, port 0. `handle` gets each request with its whole body and `arrivedAt`, the
 * `performance.now()` at which its first bytes arrived; answers go out in request order, one connection at a time.
 */
export async function startRawHttpServer(handle: (request: RawRequest, body: Buffer, arrivedAt: number) => RawAnswer): Promise<Server> {
  const server = createServer((socket) => {
    socket.setNoDelay(true);
    let buffered: Buffer = Buffer.alloc(0);
    let arrivedAt = 0;
    socket.on('data', (chunk: Buffer) => {
      if (buffered.length === 0) arrivedAt = performance.now();
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      for (;;) {
        const headEnd = buffered.indexOf('\r\n\r\n');
        if (headEnd < 0) {
          if (buffered.length > MAX_REQUEST_BYTES) write(socket, { status: 413, headers: {}, body: 'head too large' }, true);
          return;
        }
        const head = headOf(buffered.toString('latin1', 0, headEnd));
        if ('refuse' in head) return write(socket, { status: head.refuse, headers: { 'content-type': 'text/plain' }, body: head.reason }, true);
        const end = headEnd + 4 + head.length;
        if (buffered.length < end) return;
        const body = buffered.subarray(headEnd + 4, end);
        buffered = buffered.subarray(end);
        let answer: RawAnswer;
        try {
          answer = handle(head.request, body, arrivedAt);
        } catch (error) {
          answer = { status: 500, headers: { 'content-type': 'text/plain' }, body: String(error) };
        }
        write(socket, answer);
        arrivedAt = performance.now();
      }
    });
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
