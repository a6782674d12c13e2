/**
 * A loopback fake of an OpenAI-compatible chat-completions server (node:http on 127.0.0.1, port 0), for tests and
 * benchmarks of the LLM narrative writer with the real `openai` client. Never touches the network.
 *
 * `POST /v1/chat/completions` answers what `script(request)` says, after `latencyMs` (per reply or server-wide):
 * - `{ content }` → a real `chat.completion` body with `usage` (prompt/completion tokens given or estimated at four
 *   characters per token; `cost` only when the reply or the server sets one, as OpenRouter does);
 * - `{ status, message?, retryAfter? }` → an error in OpenAI's / OpenRouter's shape (`{"error": {...}}`), with a
 *   `retry-after` header (seconds) when given: 429, 402, 500, 503…;
 * - `{ hang: true }` → never answers (the client's timeout fires); the socket is destroyed on `close()`.
 * Every request is recorded (parsed body, the text of its messages, arrival and finish times), and the server keeps the
 * largest number of requests it had in flight at once.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatMessage {
  role: string;
  content: string;
}

export interface FakeChatRequest {
  /** 0-based arrival order. */
  index: number;
  model: string;
  messages: ChatMessage[];
  /** The whole JSON body as sent. */
  body: Record<string, unknown>;
  headers: IncomingMessage['headers'];
  /** Every message's content joined: what the model would read. */
  text: string;
  startedAt: number;
  finishedAt: number | null;
  /** What the server did: the HTTP status sent, or 'hang'. */
  outcome: number | 'hang' | null;
}

export type FakeReply =
  | {
      content: string;
      usage?: { prompt_tokens?: number; completion_tokens?: number; cost?: number };
      finishReason?: 'stop' | 'length' | 'content_filter';
      model?: string;
      latencyMs?: number;
    }
  | { status: number; message?: string; retryAfter?: number; latencyMs?: number }
  | { hang: true };

export interface FakeServerOptions {
  /** Decides each answer from the request (per ticker, per call…). */
  script: (request: FakeChatRequest) => FakeReply | Promise<FakeReply>;
  /** Delay before every answer, unless the reply sets its own. Default 0. */
  latencyMs?: number;
  /** Adds `usage.cost` (USD) to every successful answer that does not set its own, as OpenRouter does. */
  costUsd?: number | ((request: FakeChatRequest) => number);
}

export interface FakeOpenAiServer {
  /** `http://127.0.0.1:<port>/v1`, for `new OpenAI({ baseURL })`. */
  baseURL: string;
  requests: FakeChatRequest[];
  /** Requests currently being answered. */
  readonly inFlight: number;
  /** Most requests ever in flight at once. */
  readonly maxInFlight: number;
  /** Changes the server-wide latency from now on. */
  setLatency(ms: number): void;
  close(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'insufficient_quota',
  403: 'permission_error',
  404: 'not_found_error',
  429: 'rate_limit_exceeded',
};

export async function startFakeOpenAi(options: FakeServerOptions): Promise<FakeOpenAiServer> {
  let latency = options.latencyMs ?? 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const requests: FakeChatRequest[] = [];

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: String(error), type: 'server_error', code: 500 } });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      sendJson(res, 404, { error: { message: `no route ${req.method} ${req.url}`, type: 'not_found_error', code: 404 } });
      return;
    }
    const body = JSON.parse(raw) as Record<string, unknown>;
    const messages = (Array.isArray(body.messages) ? body.messages : []) as ChatMessage[];
    const request: FakeChatRequest = {
      index: requests.length,
      model: String(body.model ?? ''),
      messages,
      body,
      headers: req.headers,
      text: messages.map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content))).join('\n\n'),
      startedAt: Date.now(),
      finishedAt: null,
      outcome: null,
    };
    requests.push(request);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let counted = true;
    const done = (): void => {
      if (!counted) return;
      counted = false;
      inFlight--;
      request.finishedAt = Date.now();
    };
    res.on('close', done);

    const reply = await options.script(request);
    if ('hang' in reply) {
      request.outcome = 'hang';
      return; // the client times out; close() destroys the socket
    }
    await sleep(reply.latencyMs ?? latency);
    if (res.destroyed) return;

    if ('status' in reply) {
      request.outcome = reply.status;
      const headers: Record<string, string> = {};
      if (reply.retryAfter !== undefined) headers['retry-after'] = String(reply.retryAfter);
      const message =
        reply.message ??
        (reply.status === 402
          ? 'Insufficient credits. Add more using https://openrouter.ai/settings/credits'
          : reply.status === 429
            ? 'Rate limit exceeded: too many requests'
            : `Upstream error ${reply.status}`);
      sendJson(res, reply.status, { error: { message, type: ERROR_TYPES[reply.status] ?? 'server_error', code: reply.status } }, headers);
      return;
    }

    const promptTokens = reply.usage?.prompt_tokens ?? Math.ceil(request.text.length / 4);
    const completionTokens = reply.usage?.completion_tokens ?? Math.ceil(reply.content.length / 4);
    const cost =
      reply.usage?.cost ?? (typeof options.costUsd === 'function' ? options.costUsd(request) : options.costUsd);
    const usage: Record<string, unknown> = {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    };
    if (cost !== undefined) usage.cost = cost;
    request.outcome = 200;
    sendJson(res, 200, {
      id: `chatcmpl-fake-${request.index}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: reply.model ?? request.model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: reply.content, refusal: null },
          logprobs: null,
          finish_reason: reply.finishReason ?? 'stop',
        },
      ],
      usage,
      system_fingerprint: 'fp_fake',
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    setLatency(ms: number) {
      latency = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A model's answer in the narrative contract's format (Thai, four sections) that uses only placeholders every report
 * has and types no number: what a well-behaved model returns, whatever the ticker.
 */
export const GENERIC_THAI_ANSWER = [
  '## 📖 เรื่องราวของหุ้นตัวนี้',
  'ราคาล่าสุดปิดที่ {PRICE} เปลี่ยนแปลง {CHANGE_PCT} จากวันก่อน ภาพรวมของหุ้นตัวนี้ยังต้องติดตามต่อไปอย่างใกล้ชิด '.repeat(4),
  '## 💡 สิ่งที่คุณต้องรู้',
  'ค่า RSI อยู่ที่ {RSI} ซึ่งบอกแรงส่งของราคาในช่วงสั้น ส่วนความผันผวนรายวันเฉลี่ยอยู่ที่ {ATR_PCT} ของราคา '.repeat(4),
  '## 🎯 ควรทำอะไรตอนนี้',
  'ผู้ลงทุนควรพิจารณาจังหวะอย่างระมัดระวัง และติดตามว่าราคาจะยืนเหนือระดับสำคัญได้หรือไม่ในช่วงถัดไป '.repeat(4),
  '## ⚠️ สิ่งที่ต้องจับตา',
  'จับตาความผันผวนที่ระดับ {ATR_PCT} และการเคลื่อนไหวของราคาเทียบกับเส้นค่าเฉลี่ยในช่วงสัปดาห์หน้า '.repeat(4),
].join('\n\n');
