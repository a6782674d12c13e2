import { Agent, request } from 'node:http';
import { connect, type AddressInfo, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRawHttpServer, type RawRequest } from './raw-http-server.js';

let server: Server;
let port: number;
const seen: { request: RawRequest; body: string; arrivedAt: number }[] = [];

beforeAll(async () => {
  server = await startRawHttpServer((req, body, arrivedAt) => {
    seen.push({ request: req, body: body.toString('utf8'), arrivedAt });
    if (req.url === '/boom') throw new Error('handler failed');
    return { status: 200, headers: { 'content-type': 'application/json', 'x-echo': req.headers['x-echo'] as string }, body: JSON.stringify({ got: body.toString('utf8') }) };
  });
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Writes `chunks` on one fresh connection, `gapMs` apart, and resolves with everything the server sent until `until` matches. */
function exchange(chunks: string[], until: RegExp, gapMs = 0): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', async () => {
      for (const chunk of chunks) {
        socket.write(chunk);
        if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
      }
    });
    let got = '';
    socket.on('data', (d) => {
      got += d.toString('utf8');
      if (until.test(got)) {
        socket.destroy();
        resolve(got);
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(got));
  });
}

const post = (path: string, body: string) => `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

describe('the raw HTTP/1.1 transport of the bench fakes', () => {
  it('answers node:http requests on one kept-alive connection, with headers and body as sent', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const send = (body: string) =>
      new Promise<{ status: number; echo: string | undefined; body: string; reused: boolean }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path: '/v2/bot/message/reply', method: 'POST', agent, headers: { 'x-echo': 'hi', 'content-type': 'application/json' } }, (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode!, echo: res.headers['x-echo'] as string | undefined, body: text, reused: req.reusedSocket }));
        });
        req.on('error', reject);
        req.end(body);
      });
    const first = await send('{"a":"ไทย"}');
    const second = await send('{"b":2}');
    agent.destroy();
    expect(first).toEqual({ status: 200, echo: 'hi', body: JSON.stringify({ got: '{"a":"ไทย"}' }), reused: false });
    expect(second).toMatchObject({ status: 200, body: JSON.stringify({ got: '{"b":2}' }), reused: true });
    expect(seen.at(-1)!.request).toMatchObject({ method: 'POST', url: '/v2/bot/message/reply', headers: { 'x-echo': 'hi' } });
  });

  it('answers pipelined requests in order, and waits for a body that arrives in pieces (timed from its first bytes)', async () => {
    const pipelined = await exchange([post('/one', '1') + post('/two', '22')], /"22"[\s\S]*$/);
    expect(pipelined.indexOf('{"got":"1"}')).toBeGreaterThan(0);
    expect(pipelined.indexOf('{"got":"22"}')).toBeGreaterThan(pipelined.indexOf('{"got":"1"}'));
    const whole = post('/split', '{"long":"' + 'x'.repeat(1000) + '"}');
    const before = performance.now();
    const split = await exchange([whole.slice(0, 40), whole.slice(40, 600), whole.slice(600)], /\}"\}$/, 100);
    expect(split).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    const call = seen.find((s) => s.request.url === '/split')!;
    expect(call.body).toHaveLength(1000 + 11);
    expect(call.arrivedAt - before).toBeLessThan(100); // the first piece, not the last (200 ms later)
  });

  it('refuses chunked bodies with 501 and answers a failing handler with 500, never crashing', async () => {
    const chunked = await exchange(['POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n'], /Content-Length$/);
    expect(chunked).toMatch(/^HTTP\/1\.1 501 Not Implemented\r\n[\s\S]*connection: close/);
    const boom = await exchange([post('/boom', '{}')], /handler failed/);
    expect(boom).toMatch(/^HTTP\/1\.1 500 /);
    const after = await exchange([post('/after', 'ok')], /"ok"\}$/);
    expect(after).toMatch(/^HTTP\/1\.1 200 OK/);
  });
});
