/** One leaf of a MIME message, its body decoded from its transfer encoding. */
export interface MimePart {
  headers: Map<string, string>;
  contentType: string;
  body: Buffer;
}

function parseHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

function decode(body: string, encoding: string): Buffer {
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64');
  if (encoding === 'quoted-printable') {
    const bytes = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    return Buffer.from(bytes, 'latin1');
  }
  return Buffer.from(body, 'latin1');
}

/**
 * The leaves of a MIME message, multiparts walked recursively: enough to read what an e-mail client would show (the
 * HTML, the plain text, the inline images and their Content-IDs) without a mail-parsing dependency.
 */
export function mimeParts(raw: string | Buffer): MimePart[] {
  const text = typeof raw === 'string' ? Buffer.from(raw, 'utf8').toString('latin1') : raw.toString('latin1');
  const split = text.indexOf('\r\n\r\n');
  const headers = parseHeaders(text.slice(0, split));
  const body = text.slice(split + 4);
  const contentType = headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (contentType.toLowerCase().startsWith('multipart/') && boundary) {
    const sections = body.split(`--${boundary}`).slice(1);
    return sections
      .filter((s) => !s.startsWith('--'))
      .flatMap((s) => mimeParts(Buffer.from(s.replace(/^\r\n/, '').replace(/\r\n$/, ''), 'latin1')));
  }
  return [{ headers, contentType: contentType.split(';')[0]!.trim().toLowerCase(), body: decode(body, (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase()) }];
}

export function headerOf(raw: string, name: string): string | undefined {
  return parseHeaders(raw.slice(0, raw.indexOf('\r\n\r\n'))).get(name.toLowerCase());
}
