import DataStream from 'nodemailer/lib/smtp-connection/data-stream.js';

const CR = 0x0d;
const LF = 0x0a;
const DOT = 0x2e;
const INSERT_LF = Buffer.from('\n');
const INSERT_LF_DOT = Buffer.from('\n.');
const INSERT_CR = Buffer.from('\r');
const INSERT_DOT = Buffer.from('.');

/** `previous` is the byte before `chunk[0]` in the stream, `false` at its start. */
function insertionAt(chunk: Buffer, i: number, previous: number | false): Buffer | undefined {
  const byte = chunk[i]!;
  const prev = i > 0 ? chunk[i - 1]! : previous;
  // A bare CR becomes CRLF, and a dot after it is stuffed (a receiver that ends lines at a lone CR must not see
  // "\r.\r" as the end of the data: SMTP smuggling).
  if (prev === CR && byte !== LF) return byte === DOT ? INSERT_LF_DOT : INSERT_LF;
  if (byte === LF && prev !== CR) return INSERT_CR; // a bare LF becomes CRLF
  if (byte === DOT && (prev === LF || prev === false)) return INSERT_DOT; // a dot starting a line
  return undefined;
}

/**
 * One chunk of a message made safe for SMTP DATA, byte for byte what nodemailer's DataStream makes of it: bare CR
 * and bare LF become CRLF and a dot starting a line is doubled (RFC 5321 §4.5.2).
 *
 * Only a byte at the chunk's start, a CR or LF, or the byte after one can need an insertion, so those are the only
 * ones looked at; CR and LF are found with `indexOf` (memchr). nodemailer's loop looks at every byte in JavaScript:
 * ~5 ms per MB, half the CPU of an e-mail that carries its charts inline. Returns `chunk` itself when nothing changes.
 */
export function escapeSmtpData(chunk: Buffer, previous: number | false): Buffer {
  const parts: Buffer[] = [];
  let copiedTo = 0;
  let looked = -1;
  const look = (i: number) => {
    if (i <= looked || i >= chunk.length) return;
    looked = i;
    const insert = insertionAt(chunk, i, previous);
    if (!insert) return;
    if (i > copiedTo) parts.push(chunk.subarray(copiedTo, i));
    parts.push(insert);
    copiedTo = i;
  };
  look(0);
  let cr = chunk.indexOf(CR);
  let lf = chunk.indexOf(LF);
  while (cr !== -1 || lf !== -1) {
    const at = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf);
    look(at);
    look(at + 1);
    if (at === cr) cr = chunk.indexOf(CR, at + 1);
    else lf = chunk.indexOf(LF, at + 1);
  }
  if (parts.length === 0) return chunk;
  if (copiedTo < chunk.length) parts.push(chunk.subarray(copiedTo));
  return Buffer.concat(parts);
}

// Buffers known to need no escaping past their first byte, and never changed afterwards.
const vetted = new WeakSet<Buffer>();

/**
 * For a buffer that is sent many times and never changed (a chart's MIME part, a digest's compiled text): checks it
 * once, and when nothing inside it needs escaping, lets every later send skip the scan (only its first byte, which
 * depends on what precedes it, is looked at). A buffer that does need escaping is simply scanned each time.
 */
export function vetForSmtpData(buffer: Buffer): void {
  // Any previous byte other than CR and LF: position 0 then changes only if it is a bare LF.
  if (buffer.length > 0 && escapeSmtpData(buffer, 0x20) === buffer) vetted.add(buffer);
}

function escapeChunk(chunk: Buffer, previous: number | false): Buffer {
  if (!vetted.has(chunk)) return escapeSmtpData(chunk, previous);
  const insert = insertionAt(chunk, 0, previous);
  return insert ? Buffer.concat([insert, chunk]) : chunk;
}

type TransformFn = (this: DataStream, chunk: Buffer | string, encoding: BufferEncoding, done: () => void) => void;
const prototype = DataStream.prototype as unknown as { _transform: TransformFn; fastEscaping?: true };

/** nodemailer's own DataStream `_transform`, kept for the test that compares the two. */
export const nodemailerTransform: TransformFn = prototype._transform;

/**
 * Makes nodemailer's SMTP DATA stream escape with `escapeSmtpData` (same output, same byte counts). Patching a
 * library's method is a last resort, taken because that loop is the e-mail channel's largest cost and nodemailer has
 * no option for it; `smtp-data-escaping.test.ts` checks the two agree on any input split anywhere.
 */
export function useFastSmtpDataEscaping(): void {
  if (prototype.fastEscaping) return;
  if (typeof nodemailerTransform !== 'function') throw new Error('nodemailer DataStream has no _transform: check the nodemailer upgrade');
  prototype._transform = function (this: DataStream, chunk, _encoding, done) {
    if (!chunk || chunk.length === 0) return done();
    const input = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.inByteCount += input.length;
    const output = escapeChunk(input, this.lastByte);
    this.outByteCount += output.length;
    this.push(output);
    this.lastByte = input[input.length - 1]!;
    done();
  };
  prototype.fastEscaping = true;
}
