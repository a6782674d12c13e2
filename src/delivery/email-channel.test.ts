import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Digest } from './delivery-channel.js';
import { sampleDigest } from './digest.test-support.js';
import { EmailChannel } from './email-channel.js';
import { type FakeSmtpServer, startFakeSmtpServer } from './fake-smtp-server.js';
import { headerOf, mimeParts } from './mime-parts.test-support.js';

let smtp: FakeSmtpServer;
let channel: EmailChannel;

beforeAll(async () => {
  smtp = await startFakeSmtpServer();
  channel = new EmailChannel({ smtpUrl: smtp.url, from: 'Daybreak <digest@daybreak.example.com>', maxConnections: 2, timeoutMs: 10_000 });
});

afterAll(async () => {
  await channel.close();
  await smtp.close();
});

/** A digest whose every ticker has a chart the size the renderer makes (~140 KB), and whose text has a line starting with a dot. */
function digestWithCharts(items: number): { digest: Digest; charts: Map<string, Buffer> } {
  const digest = sampleDigest({ items, language: 'en' });
  const charts = new Map<string, Buffer>();
  for (const item of digest.items) {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(140_000)]);
    item.chart_png = png;
    charts.set(item.ticker, png);
  }
  digest.items[0]!.why = '.NET leads.';
  return { digest, charts };
}

describe('e-mail channel against a real SMTP server', () => {
  it('sends a 50-ticker digest complete: every ticker in the HTML and the text, every chart inline byte for byte', async () => {
    const { digest, charts } = digestWithCharts(50);
    await channel.send({ delivery_id: 'dlv_20261127_aaaaaaaaaaaaaaaaaaaa', subscription_id: 'sub_1', address: 'reader@example.com', digest });

    const mail = smtp.received.find((m) => m.to.includes('reader@example.com'))!;
    expect(mail.from).toBe('digest@daybreak.example.com');
    // One message, nothing split off or cut: ~10 MB with the 50 charts inline (see README, e-mail size).
    expect(mail.raw.length).toBeGreaterThan(50 * 140_000 * 1.33);
    const parts = mimeParts(mail.raw);
    const html = parts.find((p) => p.contentType === 'text/html')!.body.toString('utf8');
    const text = parts.find((p) => p.contentType === 'text/plain')!.body.toString('utf8');
    const images = parts.filter((p) => p.contentType === 'image/png');
    expect(images).toHaveLength(50);
    for (const item of digest.items) {
      expect(html).toContain(`<img src="cid:chart-${item.ticker.toLowerCase()}@daybreak"`);
      expect(html).toContain(`href="${item.report_url}"`);
      expect(text).toContain(`${item.ticker} — ${item.company_name}`);
      const image = images.find((p) => p.headers.get('content-id') === `<chart-${item.ticker.toLowerCase()}@daybreak>`)!;
      expect(image.body.equals(charts.get(item.ticker)!)).toBe(true);
    }
    // A line of the message itself starts with the dot (stuffed to '..' on the wire, unstuffed by the server).
    expect(mail.raw).toContain('\r\n.NET leads.\r\n');
    expect(html).toContain(digest.items.at(-1)!.why);
  });

  it('gives each recipient of one shared digest its own To and a Message-ID from its delivery id, the rest identical', async () => {
    const { digest } = digestWithCharts(3);
    const to = ['a@example.com', 'b@example.com', 'c@example.com'];
    await Promise.all(
      to.map((address, i) => channel.send({ delivery_id: `dlv_20261127_${String(i).repeat(20)}`, subscription_id: `sub_${i}`, address, digest })),
    );
    const mails = to.map((address) => smtp.received.find((m) => m.to.includes(address))!);
    mails.forEach((mail, i) => {
      expect(headerOf(mail.raw, 'to')).toBe(to[i]);
      expect(headerOf(mail.raw, 'message-id')).toBe(`<dlv_20261127_${String(i).repeat(20)}@daybreak.example.com>`);
    });
    const bodies = mails.map((m) => m.raw.slice(m.raw.indexOf('\r\n\r\n')));
    expect(new Set(bodies).size).toBe(1);
    expect(mimeParts(mails[0]!.raw).filter((p) => p.contentType === 'image/png')).toHaveLength(3);
  });
});
