import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The built scripts, as `npm run chat-playground` and `npx daybreak serve` run them (`npm test` builds first).
const PLAYGROUND = join(import.meta.dirname, '../../dist/playground/chat-playground.js');
const BIN = join(import.meta.dirname, '../../bin/daybreak.js');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Resolves with the process's output so far once `pattern` has appeared in it. */
function waitFor(output: () => string, pattern: RegExp, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      if (pattern.test(output())) {
        clearInterval(poll);
        resolve(output());
      } else if (Date.now() - started > 30_000) {
        clearInterval(poll);
        reject(new Error(`no ${what} in:\n${output()}`));
      }
    }, 50);
  });
}

describe('npm run chat-playground', () => {
  it('points serve at the loopback fakes through chat-playground.env and shows the bots answering, signatures checked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'daybreak-playground-'));
    const serveEnv = (): NodeJS.ProcessEnv => {
      const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: `sqlite:${join(dir, 'd.db')}`, CHART_THREADS: '0' };
      for (const line of readFileSync(join(dir, 'chat-playground.env'), 'utf8').split('\n')) {
        const eq = line.indexOf('=');
        if (eq > 0) env[line.slice(0, eq)] = line.slice(eq + 1);
      }
      return env;
    };
    const port = await freePort();
    const playground = spawn(process.execPath, [PLAYGROUND, '--serve', `http://127.0.0.1:${port}`], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
    children.push(playground);
    let out = '';
    playground.stdout!.on('data', (d) => (out += d));
    playground.stderr!.on('data', (d) => (out += d));
    await waitFor(() => out, /then type here/, 'prompt');
    const env = readFileSync(join(dir, 'chat-playground.env'), 'utf8');
    expect(env).toMatch(/^LINE_API_BASE_URL=http:\/\/127\.0\.0\.1:\d+$/m);
    expect(env).toMatch(/^TELEGRAM_WEBHOOK_SECRET=\w{16,}$/m);

    // serve is not up yet: the reader is told, and the playground goes on.
    playground.stdin!.write('line help\n');
    await waitFor(() => out, new RegExp(`cannot reach serve at http://127\\.0\\.0\\.1:${port}`), 'connection error');

    const serve = spawn(process.execPath, [BIN, 'serve', '--port', String(port), '--no-schedule'], { cwd: dir, env: serveEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(serve);
    let serveErr = '';
    serve.stderr!.on('data', (d) => (serveErr += d));
    await waitFor(() => serveErr, /daybreak serve: http/, 'serve URL');

    playground.stdin!.write('line help\nline bad-signature\ntelegram /help\ntelegram bad-secret\n');
    await waitFor(() => out, /serve answered 401 .*invalid_secret_token/, 'Telegram refusal');
    await waitFor(() => out, /Telegram sendMessage to chat 1001 \(200\)/, 'Telegram answer');
    expect(out).toMatch(/LINE reply \(200\): text "/);
    expect(out).toMatch(/serve answered 401 .*invalid_signature/);
    // Exactly the two answers: the refused webhooks did nothing.
    expect(out.match(/LINE reply/g)).toHaveLength(1);
    expect(out.match(/Telegram sendMessage/g)).toHaveLength(1);
    serve.kill('SIGTERM');
    playground.kill('SIGTERM');
  }, 90_000);
});
