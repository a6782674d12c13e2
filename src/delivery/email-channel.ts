import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import nodemailer, { type Transporter } from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { InputError } from '../errors.js';
import type { DeliveryChannel, DeliveryEnvelope, Digest } from './delivery-channel.js';
import { DeliveryError } from './delivery-channel.js';
import { type DigestEmail, renderDigestEmail } from './digest-email.js';
import { useFastSmtpDataEscaping, vetForSmtpData } from './smtp-data-escaping.js';

// Deliberately plain: local@domain with a dotted domain, no spaces, quotes, brackets or commas. What the SMTP server
// then refuses (RCPT 5xx) disables the subscription with the server's reason.
const EMAIL_PATTERN = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export function normalizeEmailAddress(address: string): string {
  const trimmed = address.trim();
  if (trimmed.length > 254 || !EMAIL_PATTERN.test(trimmed)) {
    throw new InputError(`"${address}" is not an e-mail address (expected name@example.com)`, { field: 'address' });
  }
  const at = trimmed.lastIndexOf('@');
  return `${trimmed.slice(0, at)}@${trimmed.slice(at + 1).toLowerCase()}`;
}

const COMPILED_KEPT = 64;

// Markers compiled into the shared message and replaced per recipient in its header block only.
const TO_MARKER = 'daybreak-recipient@recipient.invalid';
const ID_MARKER = 'daybreak-delivery-id';

interface CompiledDigest {
  /** Header block up to and including the blank line, with the markers. */
  head: string;
  /** The body in order: this digest's own bytes, and between them the chart parts shared with every other digest. */
  body: Buffer[];
}

export interface EmailChannelOptions {
  /** `smtp://user:pass@host:port` or `smtps://…`. */
  smtpUrl: string;
  from: string;
  /** SMTP connections kept open and reused for a whole batch. */
  maxConnections: number;
  timeoutMs: number;
}

/**
 * E-mail through nodemailer's pooled SMTP transport: a few connections opened once and reused for every message of
 * a run. A digest's MIME (HTML with the charts inline as `cid:` parts, and a plain-text part) is compiled once and
 * shared; each recipient gets its own `To` and a `Message-ID` made from the delivery id, stable across retries, so a
 * repeat after a crash is recognisable.
 */
export class EmailChannel implements DeliveryChannel {
  readonly name = 'email' as const;
  private readonly transport: Transporter;
  // The last few digests' MIME: a run sends identical digests one after the other. Only their own text is kept per
  // digest (tens of KB); the charts' megabytes are the shared parts.
  private readonly compiled = new Map<Digest, Promise<CompiledDigest>>();
  private readonly domain: string;
  private readonly fromAddress: string;
  // Each chart's MIME part, base64 and all, made once per run and shared by every digest and message that shows it:
  // a digest's compiled body holds references to these, never copies.
  private readonly chartParts = new WeakMap<Buffer, Buffer>();
  // Compiled in where a chart part goes and replaced by it; random so no digest text can contain it.
  private readonly chartMarker = `daybreak-chart-part-${randomUUID()}-`;

  constructor(private readonly options: EmailChannelOptions) {
    useFastSmtpDataEscaping();
    this.transport = nodemailer.createTransport({
      url: options.smtpUrl,
      pool: true,
      maxConnections: options.maxConnections,
      maxMessages: Number.POSITIVE_INFINITY,
      connectionTimeout: options.timeoutMs,
      greetingTimeout: options.timeoutMs,
      socketTimeout: options.timeoutMs,
    } as unknown as Parameters<typeof nodemailer.createTransport>[0]);
    this.fromAddress = fromAddressOf(options.from);
    this.domain = this.fromAddress.slice(this.fromAddress.lastIndexOf('@') + 1) || 'daybreak.invalid';
  }

  normalizeAddress(address: string): string {
    return normalizeEmailAddress(address);
  }

  messageIdOf(deliveryId: string): string {
    return `<${deliveryId}@${this.domain}>`;
  }

  async send(envelope: DeliveryEnvelope): Promise<void> {
    const compiled = await this.compile(envelope.digest);
    const head = compiled.head.replace(TO_MARKER, envelope.address).replace(`<${ID_MARKER}@${this.domain}>`, this.messageIdOf(envelope.delivery_id));
    try {
      await this.transport.sendMail({
        envelope: { from: this.fromAddress, to: [envelope.address] },
        // Streamed part by part: the shared chart parts go to the socket as they are, one ~1 MB copy per message less.
        raw: Readable.from([Buffer.from(head, 'utf8'), ...compiled.body], { objectMode: false }),
      });
    } catch (error) {
      throw classifySmtpError(error);
    }
  }

  async close(): Promise<void> {
    this.transport.close();
  }

  private chartPart(a: DigestEmail['attachments'][number]): Buffer {
    let part = this.chartParts.get(a.content);
    if (part === undefined) {
      const base64 = a.content.toString('base64').replace(/.{76}/g, '$&\r\n');
      part = Buffer.from(
        `Content-Type: image/png; name=${a.filename}\r\nContent-ID: <${a.cid}>\r\n` +
          `Content-Disposition: inline; filename=${a.filename}\r\nContent-Transfer-Encoding: base64\r\n\r\n${base64}`,
        'latin1',
      );
      vetForSmtpData(part);
      this.chartParts.set(a.content, part);
    }
    return part;
  }

  private compile(digest: Digest): Promise<CompiledDigest> {
    let compiled = this.compiled.get(digest);
    if (!compiled) {
      const mail = renderDigestEmail(digest);
      compiled = new MailComposer({
        from: this.options.from,
        to: TO_MARKER,
        messageId: `<${ID_MARKER}@${this.domain}>`,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        attachments: mail.attachments.map((a, i) => ({ cid: a.cid, contentType: a.contentType, raw: `${this.chartMarker}${i}.` })),
        headers: { 'X-Daybreak-Execution': digest.execution_id },
      })
        .compile()
        .build()
        .then((message: Buffer) => {
          const split = message.indexOf('\r\n\r\n');
          const body: Buffer[] = [];
          let at = split + 4;
          mail.attachments.forEach((a, i) => {
            const marker = `${this.chartMarker}${i}.`;
            const found = message.indexOf(marker, at, 'latin1');
            if (found === -1) throw new Error(`the compiled e-mail lost the place of ${a.filename}`);
            body.push(message.subarray(at, found), this.chartPart(a));
            at = found + marker.length;
          });
          body.push(message.subarray(at));
          for (const own of body) vetForSmtpData(own); // the chart parts were vetted once, when made
          return { head: message.subarray(0, split + 4).toString('utf8'), body };
        });
      this.compiled.set(digest, compiled);
      if (this.compiled.size > COMPILED_KEPT) this.compiled.delete(this.compiled.keys().next().value!);
    }
    return compiled;
  }
}

function fromAddressOf(from: string): string {
  return /<([^>]+)>/.exec(from)?.[1] ?? from;
}

/**
 * A recipient the server refuses for good (RCPT 5xx: no such mailbox) is permanent and disables the subscription;
 * everything else — connection, authentication, a refused sender, 4xx — is our side or passing, and is retried.
 */
export function classifySmtpError(error: unknown): DeliveryError {
  const e = error as { responseCode?: number; command?: string; code?: string; response?: string; message?: string };
  const said = (e.response ?? e.message ?? 'unknown error').replace(/\s+/g, ' ').slice(0, 300);
  if (typeof e.responseCode === 'number' && e.responseCode >= 500 && /RCPT/i.test(e.command ?? '')) {
    return new DeliveryError('permanent', `the mail server refused the address: ${said}`, undefined, { cause: error });
  }
  if (typeof e.responseCode === 'number') {
    return new DeliveryError('transient', `the mail server answered ${e.responseCode} to ${e.command ?? 'the message'}: ${said}`, undefined, { cause: error });
  }
  return new DeliveryError('transient', `could not reach the mail server (${e.code ?? 'error'}): ${said}`, undefined, { cause: error });
}
