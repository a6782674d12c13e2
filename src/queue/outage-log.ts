import { errorMessage } from '../errors.js';

export interface OutageEvent {
  /** `PostgreSQL`, `Redis`. */
  service: string;
  /** `host:port`, never credentials. */
  address: string;
  state: 'down' | 'up';
  /** down: what the driver said. */
  error?: string;
  /** up: how long the service was unreachable. */
  down_ms?: number;
}

/** Where the state changes go: one text line on a terminal, one JSON log line under `serve`. */
export type OutageReporter = (event: OutageEvent, line: string) => void;

const stderrReporter: OutageReporter = (_event, line) => process.stderr.write(`daybreak: ${line}\n`);

/**
 * What this process knows about the services it depends on, reported once per state change: "PostgreSQL unreachable
 * at 127.0.0.1:5432, retrying" when the first call fails, "PostgreSQL back after 2.3 s" when one that started after
 * that succeeds. A late failure of a call begun before the service came back is not a new outage, so many calls and
 * connections failing at once still make exactly two lines.
 */
export class OutageLog {
  private readonly down = new Map<string, { since: number; address: string }>();
  private readonly upAt = new Map<string, number>();
  private readonly backListeners: ((service: string) => void)[] = [];

  constructor(private reporter: OutageReporter = stderrReporter) {}

  setReporter(reporter: OutageReporter): void {
    this.reporter = reporter;
  }

  /** Called back each time a service is back (e.g. to re-enqueue what an empty Redis lost). */
  onBack(listener: (service: string) => void): () => void {
    this.backListeners.push(listener);
    return () => {
      const i = this.backListeners.indexOf(listener);
      if (i >= 0) this.backListeners.splice(i, 1);
    };
  }

  isDown(service: string): boolean {
    return this.down.has(service);
  }

  /** A call begun at `startedAt` (performance.now()) failed because `service` is unreachable. */
  failed(service: string, address: string, error: unknown, startedAt = performance.now()): void {
    if (this.down.has(service) || startedAt < (this.upAt.get(service) ?? -Infinity)) return;
    this.down.set(service, { since: performance.now(), address });
    this.reporter({ service, address, state: 'down', error: errorMessage(error) }, `${service} unreachable at ${address}, retrying (${errorMessage(error)})`);
  }

  /** A call begun at `startedAt` reached `service`. */
  reached(service: string, startedAt = performance.now()): void {
    const outage = this.down.get(service);
    if (!outage || startedAt < outage.since) return;
    this.down.delete(service);
    const now = performance.now();
    this.upAt.set(service, now);
    const downMs = Math.round(now - outage.since);
    this.reporter({ service, address: outage.address, state: 'up', down_ms: downMs }, `${service} back after ${(downMs / 1000).toFixed(1)} s`);
    for (const listener of this.backListeners) listener(service);
  }
}

/** `host:port` of a connection URL, for messages: never the user or password. */
export function addressOf(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.port ? `${parsed.hostname}:${parsed.port}` : parsed.hostname;
  } catch {
    return 'the configured address';
  }
}
