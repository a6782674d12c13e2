import { createHmac } from 'node:crypto';
import { InputError } from '../errors.js';
import type { DeliveryChannel, DeliveryEnvelope, Digest, DigestItem, MorningBrief } from './delivery-channel.js';
import { DeliveryError } from './delivery-channel.js';
import { fundamentalsLine } from './digest-fundamentals.js';
import { FETCH_BLOCKED_PORTS } from './fetch-blocked-ports.js';

export function normalizeWebhookUrl(address: string): string {
  let url: URL;
  try {
    url = new URL(address.trim());
  } catch {
    throw new InputError(`"${address}" is not a URL (expected https://example.com/hook)`, { field: 'address' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError(`a webhook must be an http(s) URL, not ${url.protocol}`, { field: 'address' });
  }
  if (url.username || url.password) {
    throw new InputError('a webhook URL must not carry a user name or password: the signature authenticates deliveries', { field: 'address' });
  }
  if (url.port && FETCH_BLOCKED_PORTS.has(Number(url.port))) {
    throw new InputError(`port ${url.port} is one fetch refuses to connect to (a "bad port" of the Fetch standard), so nothing could be delivered there; use another port`, {
      field: 'address',
    });
  }
  url.hash = '';
  return url.toString();
}

/** `sha256=<hex HMAC-SHA256 of the raw body>` keyed with WEBHOOK_SECRET, as receivers check it. */
export function webhookSignature(body: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** An item's JSON; an item belongs to one digest language (digests are built per language). */
function itemJson(i: DigestItem, language: Digest['language']): string {
  return JSON.stringify({
    ticker: i.ticker,
    company_name: i.company_name,
    currency: i.currency,
    price: i.price,
    price_change_pct: i.price_change_pct,
    recommendation: i.recommendation,
    stance: i.stance,
    confidence: i.confidence,
    why: i.why,
    report_url: i.report_url,
    chart_url: i.chart_url,
    as_of: i.as_of,
    fundamentals: i.fundamentals,
    fundamentals_line: fundamentalsLine(i.fundamentals, language),
    data_source: i.data_source,
  });
}

/** Digests whose shared JSON is kept: identical digests are sent one after the other. */
const SHARED_KEPT = 64;

export interface WebhookChannelOptions {
  secret: string;
  timeoutMs: number;
}

/** Longest Retry-After we wait for inside one delivery; a longer one fails it as transient (a later run retries). */
const MAX_RETRY_AFTER_MS = 60_000;

/**
 * Signed JSON POSTs. 2xx is delivered; 408, 429 and 5xx, timeouts and network errors are transient (429 waits its
 * Retry-After); any other 4xx (and a redirect, which we do not follow with a signed body) is permanent and
 * disables the subscription. Errors name the endpoint's origin only: a webhook path often carries a token.
 */
export class WebhookChannel implements DeliveryChannel {
  readonly name = 'webhook' as const;
  // The JSON of DESIGN §10 without its two per-recipient fields, per digest (the last few only: a run of 10,000
  // subscriptions must not keep 10,000 bodies), made of the brief's and each item's JSON, serialised once per run.
  private readonly shared = new Map<Digest, string>();
  private readonly briefs = new WeakMap<MorningBrief, string>();
  private readonly items = new WeakMap<DigestItem, string>();

  constructor(private readonly options: WebhookChannelOptions) {}

  normalizeAddress(address: string): string {
    return normalizeWebhookUrl(address);
  }

  bodyOf(envelope: DeliveryEnvelope): string {
    let tail = this.shared.get(envelope.digest);
    if (tail === undefined) {
      this.shared.set(envelope.digest, (tail = this.sharedJson(envelope.digest)));
      if (this.shared.size > SHARED_KEPT) this.shared.delete(this.shared.keys().next().value!);
    }
    return `{"delivery_id":${JSON.stringify(envelope.delivery_id)},"subscription_id":${JSON.stringify(envelope.subscription_id)},${tail}`;
  }

  async send(envelope: DeliveryEnvelope): Promise<void> {
    const body = this.bodyOf(envelope);
    const origin = new URL(envelope.address).origin;
    // A plain timer rather than AbortSignal.timeout inside AbortSignal.any (nodejs/node#57736, see precompute).
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
    let response: Response;
    try {
      response = await fetch(envelope.address, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'Daybreak-Webhook/1',
          'x-daybreak-delivery': envelope.delivery_id,
          'x-daybreak-signature-256': webhookSignature(body, this.options.secret),
        },
        body,
        redirect: 'manual',
        signal: controller.signal,
      });
      // Drained so the keep-alive connection is reused for the next delivery.
      await response.arrayBuffer();
    } catch (error) {
      const timedOut = controller.signal.aborted;
      throw new DeliveryError(
        'transient',
        timedOut ? `webhook ${origin} did not answer within ${this.options.timeoutMs} ms` : `could not reach webhook ${origin}: ${causeOf(error)}`,
        undefined,
        { cause: error },
      );
    } finally {
      clearTimeout(timer);
    }
    const status = response.status;
    if (status >= 200 && status < 300) return;
    const said = `webhook ${origin} answered ${status}${response.statusText ? ` ${response.statusText}` : ''}`;
    if (status === 429) {
      const wait = retryAfterMs(response.headers.get('retry-after'));
      if (wait > MAX_RETRY_AFTER_MS) throw new DeliveryError('transient', `${said}, asking to wait ${Math.round(wait / 1000)} s`);
      throw new DeliveryError('rate_limited', said, wait);
    }
    if (status === 408 || status >= 500) throw new DeliveryError('transient', said);
    if (status >= 300 && status < 400) throw new DeliveryError('permanent', `${said} (a redirect): point the subscription at the final URL`);
    throw new DeliveryError('permanent', `${said}: the endpoint refuses deliveries`);
  }

  async close(): Promise<void> {}

  /** Without its opening brace: each recipient's body is its `delivery_id` and `subscription_id`, then these bytes. */
  private sharedJson(digest: Digest): string {
    let brief = this.briefs.get(digest.brief);
    if (brief === undefined) this.briefs.set(digest.brief, (brief = JSON.stringify(digest.brief)));
    const items = digest.items.map((i) => {
      let json = this.items.get(i);
      if (json === undefined) this.items.set(i, (json = itemJson(i, digest.language)));
      return json;
    });
    const head = JSON.stringify({ execution_id: digest.execution_id, business_date: digest.business_date, language: digest.language, demo: digest.demo });
    return `${head.slice(1, -1)},"brief":${brief},"items":[${items.join(',')}],"unavailable":${JSON.stringify(digest.unavailable)}}`;
  }
}

/** Seconds or an HTTP date; 1 s when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number {
  if (!header) return 1_000;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1_000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? 1_000 : Math.max(0, at - now);
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
