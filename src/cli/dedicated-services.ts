/**
 * A PostgreSQL and a Redis of our own, in a temporary directory on spare ports, that a test or a benchmark may
 * restart at will (the shared ones on 5432/6379 belong to everyone on the machine). PostgreSQL refuses to run as
 * root, so under root its commands run as the `postgres` user.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface DedicatedPostgres {
  url: string;
  /**
   * `pg_ctl restart -m fast`: what a managed database does at a maintenance window (57P01 to every client). With
   * `downMs`, it stays down that long between the stop and the start (a failover).
   */
  restart(downMs?: number): Promise<void>;
  stop(): void;
}

export interface DedicatedRedis {
  url: string;
  /** Kills Redis and starts an empty one on the same port (no persistence: every key is gone), `downMs` later. */
  restartEmpty(downMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** A port nobody listens on now. */
export async function sparePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))) : [];
  if (versions.length === 0) {
    throw new Error(`PostgreSQL server binaries not found under ${root}/*/bin (initdb, pg_ctl): install postgresql`);
  }
  return join(root, versions.sort((a, b) => Number(b) - Number(a))[0]!, 'bin');
}

export async function startDedicatedPostgres(): Promise<DedicatedPostgres> {
  const bin = postgresBin();
  const dir = mkdtempSync(join(tmpdir(), 'daybreak-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString()), Number(execFileSync('id', ['-g', 'postgres']).toString()));
  const run = (tool: string, args: string[]) => {
    const command = asRoot ? ['runuser', '-u', 'postgres', '--', join(bin, tool), ...args] : [join(bin, tool), ...args];
    execFileSync(command[0]!, command.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
  };
  const data = join(dir, 'data');
  const port = await sparePort();
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  // The options are remembered in postmaster.opts, so `pg_ctl restart` starts the server the same way.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-o', options, '-w', 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    restart: async (downMs = 0) => {
      if (downMs <= 0) return run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'restart']);
      run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      await new Promise((resolve) => setTimeout(resolve, downMs));
      run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-o', options, '-w', 'start']);
    },
    stop: () => {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

export async function startDedicatedRedis(): Promise<DedicatedRedis> {
  const port = await sparePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    const started = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await new Promise<void>((resolve, reject) => {
      let output = '';
      started.once('error', (error) => reject(new Error(`cannot start redis-server (is it installed?): ${error.message}`)));
      started.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
      started.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) resolve();
      });
    });
    started.removeAllListeners('exit');
    started.stdout!.resume();
    child = started;
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    restartEmpty: async (downMs = 0) => {
      await stop();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      await start();
    },
    stop,
  };
}
