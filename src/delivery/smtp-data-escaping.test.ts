import DataStream from 'nodemailer/lib/smtp-connection/data-stream.js';
import { describe, expect, it } from 'vitest';
import { escapeSmtpData, nodemailerTransform, useFastSmtpDataEscaping, vetForSmtpData } from './smtp-data-escaping.js';

/** What a DataStream sends for `chunks`, the terminating `.` line included, and its byte counts. */
async function send(chunks: Buffer[], original: boolean): Promise<{ out: string; inBytes: number; outBytes: number }> {
  const stream = new DataStream();
  if (original) (stream as unknown as { _transform: unknown })._transform = nodemailerTransform;
  const out: Buffer[] = [];
  stream.on('data', (c: Buffer) => out.push(c));
  const ended = new Promise((resolve) => stream.on('end', resolve));
  for (const c of chunks) stream.write(c);
  stream.end();
  await ended;
  return { out: Buffer.concat(out).toString('latin1'), inBytes: stream.inByteCount, outBytes: stream.outByteCount };
}

describe('SMTP DATA escaping', () => {
  useFastSmtpDataEscaping();

  it('doubles a dot starting a line and turns bare CR and LF into CRLF', () => {
    const escaped = (s: string, previous: number | false = false) => escapeSmtpData(Buffer.from(s, 'latin1'), previous).toString('latin1');
    expect(escaped('.a\r\n.b\r\nc.d\r\n')).toBe('..a\r\n..b\r\nc.d\r\n');
    expect(escaped('a\nb\rc\r.d')).toBe('a\r\nb\r\nc\r\n..d');
    expect(escaped('.x', 0x0a)).toBe('..x'); // the previous chunk ended a line
    expect(escaped('.x', 0x61)).toBe('.x');
    expect(escaped('\n', 0x0d)).toBe('\n'); // CR at the end of the previous chunk, LF here: one CRLF
    const plain = Buffer.from('no line starts with a dot\r\nhere\r\n');
    expect(escapeSmtpData(plain, false)).toBe(plain); // nothing to change: no copy
  });

  it("sends exactly what nodemailer's own loop sends, however the message is split", async () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const pieces = ['\r', '\n', '.', 'a', '\r\n', '\r\n.', '..', 'é'];
    for (let round = 0; round < 300; round++) {
      const text = Array.from({ length: 1 + Math.floor(random() * 40) }, () => pieces[Math.floor(random() * pieces.length)]!).join('');
      const bytes = Buffer.from(text, 'utf8');
      const chunks: Buffer[] = [];
      for (let at = 0; at < bytes.length; ) {
        const size = 1 + Math.floor(random() * 6);
        chunks.push(bytes.subarray(at, at + size));
        at += size;
      }
      const fast = await send(chunks, false);
      const theirs = await send(chunks, true);
      expect(fast, JSON.stringify(text)).toEqual(theirs);
    }
  });

  it('sends a vetted buffer (checked once, then only its first byte) as nodemailer would, whatever precedes it', async () => {
    const part = Buffer.from(`Content-Type: image/png\r\n\r\n${Buffer.alloc(3_000, 9).toString('base64').replace(/.{76}/g, '$&\r\n')}\r\n`);
    const dotted = Buffer.from('.starts with a dot\r\nthen plain\r\n');
    const bare = Buffer.from('\nstarts bare\r\n');
    const needsWork = Buffer.from('a\r\n.b\n'); // needs escaping inside: not vetted, scanned every time
    for (const b of [part, dotted, bare, needsWork]) vetForSmtpData(b);
    for (const before of ['', 'x', 'x\r', 'x\r\n', 'x\n', '.']) {
      for (const b of [part, dotted, bare, needsWork]) {
        const chunks = before ? [Buffer.from(before), b, b] : [b, b];
        expect(await send(chunks, false), `${JSON.stringify(before)} then ${JSON.stringify(b.subarray(0, 12).toString())}`).toEqual(await send(chunks, true));
      }
    }
  });

  it('agrees on a message of base64 lines, the shape of an e-mail with inline charts', async () => {
    const body = Buffer.from(`Subject: x\r\n\r\n${Buffer.alloc(100_000, 7).toString('base64').replace(/.{76}/g, '$&\r\n')}\r\n.\r\n`);
    expect(await send([body.subarray(0, 4096), body.subarray(4096)], false)).toEqual(await send([body.subarray(0, 4096), body.subarray(4096)], true));
  });
});
