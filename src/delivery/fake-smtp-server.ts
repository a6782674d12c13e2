import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The message as it arrived (CRLF lines, MIME). */
  raw: string;
}

export interface FakeSmtpServer {
  /** `smtp://user:pass@127.0.0.1:PORT` */
  url: string;
  received: ReceivedMail[];
  /** SMTP connections opened to it (pooled senders reuse a few). */
  connections: number;
  /** Recipients refused at RCPT TO with 550 (as a server does for an unknown mailbox). */
  unknownMailboxes: Set<string>;
  close(): Promise<void>;
}

/**
 * A real SMTP server (the `smtp-server` package) on loopback with AUTH PLAIN/LOGIN: it checks the credentials,
 * refuses unknown mailboxes at RCPT like a real server, and keeps each message as it arrived.
 * `keepMessages: false` counts bytes without keeping them (the bench).
 */
export async function startFakeSmtpServer(options: { keepMessages?: boolean; user?: string; pass?: string } = {}): Promise<FakeSmtpServer> {
  const keep = options.keepMessages ?? true;
  const user = options.user ?? 'daybreak';
  const pass = options.pass ?? 'smtp-secret';
  const state: FakeSmtpServer = { url: '', received: [], connections: 0, unknownMailboxes: new Set(), close: async () => {} };
  const server = new SMTPServer({
    authMethods: ['PLAIN', 'LOGIN'],
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 50 * 1024 * 1024,
    onConnect(_session, callback) {
      state.connections++;
      callback();
    },
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === pass) callback(null, { user });
      else callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      if (state.unknownMailboxes.has(address.address.toLowerCase())) {
        callback(Object.assign(new Error(`5.1.1 <${address.address}>: mailbox unavailable`), { responseCode: 550 }));
      } else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => {
        if (keep) chunks.push(c);
      });
      stream.on('end', () => {
        const envelope = session.envelope;
        const to = envelope.rcptTo.map((r) => r.address);
        const from = envelope.mailFrom ? envelope.mailFrom.address : '';
        if (keep) state.received.push({ from, to, raw: Buffer.concat(chunks).toString('utf8') });
        else state.received.length++;
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  state.url = `smtp://${user}:${pass}@127.0.0.1:${port}`;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}
