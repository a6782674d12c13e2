/**
 * One server of the HTTP read bench, alone in its process. argv: MODE DATABASE_URL [SOURCE_URL].
 *   daybreak  `daybreak serve` itself (startServe: cache, metrics hook, compression plugin, rate limit), no schedule
 *   bare      node:http answering the bytes `daybreak` serves for the report, from memory: the practical limit
 *   naive     node:http reading the row from SQLite, JSON.parse, set `stale`, JSON.stringify, per request
 * Prints `READY <url>` when listening; exits on SIGTERM.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import BetterSqlite3 from 'better-sqlite3';
import { openDaybreak } from '../composition-root.js';
import { loadConfig } from '../config.js';
import { startServe } from '../cli/serve-command.js';
import { bangkokDate } from '../report/business-date.js';

const [mode, databaseUrl, sourceUrl] = process.argv.slice(2);
let stop: () => Promise<void>;
let url: string;

if (mode === 'daybreak') {
  const app = await openDaybreak(loadConfig({ ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' }));
  const running = await startServe(app, { port: 0, host: '127.0.0.1', schedule: false });
  url = running.url;
  stop = async () => {
    await running.stop();
    await app.close();
  };
} else if (mode === 'bare') {
  // The exact bytes daybreak sends for the report (fetched once), answered from memory with the same content type.
  const body = Buffer.from(await (await fetch(sourceUrl!)).arrayBuffer());
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
    res.end(body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stop = () => new Promise((resolve) => server.close(() => resolve()));
} else if (mode === 'naive') {
  const db = new BetterSqlite3(databaseUrl!.slice('sqlite:'.length), { readonly: true });
  db.pragma('mmap_size = 268435456');
  const latest = db.prepare<[string], { body: string }>('select body from reports where ticker = ? order by business_date desc limit 1');
  const server = createServer((req, res) => {
    const ticker = decodeURIComponent(req.url!.split('?')[0]!.split('/').pop()!).toUpperCase();
    const row = latest.get(ticker);
    if (!row) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":"not_found"}}');
      return;
    }
    const report = JSON.parse(row.body) as { business_date: string; stale: boolean };
    report.stale = report.business_date < bangkokDate(new Date());
    const body = JSON.stringify(report);
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stop = async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    db.close();
  };
} else {
  throw new Error(`unknown mode ${mode}: daybreak, bare or naive`);
}

process.stdout.write(`READY ${url}\n`);
await once(process, 'SIGTERM');
await stop();
process.exit(0);
