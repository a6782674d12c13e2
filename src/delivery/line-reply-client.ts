import { Agent as HttpAgent, type IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { HTTPFetchError, type messagingApi } from '@line/bot-sdk';

const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']}');

/** A reply that LINE has not answered in this long has failed (the reply token will not outlive it anyway). */
const REPLY_TIMEOUT_MS = 20_000;

export interface LineReplyClientOptions {
  channelAccessToken: string;
  /** `LINE_API_BASE_URL`. */
  baseURL: string;
  /** Connections kept open to the API. */
  maxSockets: number;
}

function headersOf(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  return headers;
}

/**
 * The Messaging API's reply call (`POST /v2/bot/message/reply`, the request the SDK's `replyMessage` sends) over
 * node:http(s) with a keep-alive agent. Replies are the chat's hot path: the SDK's client goes through the global
 * `fetch`, whose WHATWG streams and header objects cost ~4× the CPU of node:http per call (measured: ~850 µs against
 * ~200 µs on the shared 2-core machine), and it takes no agent to keep a burst on a few connections. A failure is the
 * SDK's own `HTTPFetchError` (status, headers, LINE's JSON body), so the channel maps both the same way.
 */
export class LineReplyClient {
  private readonly url: URL;
  private readonly agent: HttpAgent;
  private readonly request: typeof httpRequest;
  private readonly authorization: string;
  private readonly serialized = new WeakMap<messagingApi.Message, Buffer>();

  constructor(options: LineReplyClientOptions) {
    this.url = new URL('/v2/bot/message/reply', options.baseURL);
    const https = this.url.protocol === 'https:';
    // The timeout on the agent is set once per socket (a per-request one re-arms a timer on every call).
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets, timeout: REPLY_TIMEOUT_MS };
    this.agent = https ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
    this.request = https ? (httpsRequest as typeof httpRequest) : httpRequest;
    this.authorization = `Bearer ${options.channelAccessToken}`;
  }

  reply(replyToken: string, messages: messagingApi.Message[]): Promise<void> {
    // Written in parts, never joined: a report card is ~4 KB of mostly Thai JSON, and joining it into one string per
    // reply (then encoding that to UTF-8) was most of this path's garbage. Each part is a Buffer, so its length is known.
    const parts: Buffer[] = [Buffer.from(`{"replyToken":${JSON.stringify(replyToken)},"messages":[`)];
    messages.forEach((m, i) => {
      if (i > 0) parts.push(COMMA);
      parts.push(this.json(m));
    });
    parts.push(CLOSE);
    const length = parts.reduce((sum, part) => sum + part.length, 0);
    return new Promise((resolve, reject) => {
      const req = this.request(
        this.url,
        {
          method: 'POST',
          agent: this.agent,
          headers: { authorization: this.authorization, 'content-type': 'application/json', 'content-length': length },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) return resolve();
            const statusText = res.statusMessage ?? '';
            reject(new HTTPFetchError(`${status} - ${statusText}`, { status, statusText, headers: headersOf(res.headers), body: Buffer.concat(chunks).toString('utf8') }));
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer from the LINE API in ${REPLY_TIMEOUT_MS / 1000} s`)));
      req.on('error', reject);
      // node:http corks a request until its socket is ready, so the head and all parts leave in one writev.
      for (let i = 0; i < parts.length - 1; i++) req.write(parts[i]);
      req.end(parts[parts.length - 1]);
    });
  }

  /** A message's JSON as UTF-8; a report card's message is one cached object per card, so it is encoded once. */
  private json(message: messagingApi.Message): Buffer {
    let json = this.serialized.get(message);
    if (json === undefined) this.serialized.set(message, (json = Buffer.from(JSON.stringify(message))));
    return json;
  }

  close(): void {
    this.agent.destroy();
  }
}
