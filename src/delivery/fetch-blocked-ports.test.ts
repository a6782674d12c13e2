import { describe, expect, it } from 'vitest';
import { FETCH_BLOCKED_PORTS } from './fetch-blocked-ports.js';

/** What this Node's fetch says about a loopback port: `bad port` when it refuses it before connecting. */
async function fetchSays(port: number): Promise<string> {
  try {
    await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2_000) });
    return 'answered';
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause;
    return cause?.message ?? String(error);
  }
}

describe('FETCH_BLOCKED_PORTS', () => {
  it('is exactly what fetch refuses, among the listed ports and their neighbours', async () => {
    const candidates = new Set<number>();
    for (const port of FETCH_BLOCKED_PORTS) for (const p of [port - 1, port, port + 1]) if (p > 0) candidates.add(p);
    const refused: number[] = [];
    for (const port of [...candidates].sort((a, b) => a - b)) if ((await fetchSays(port)) === 'bad port') refused.push(port);
    expect(refused).toEqual([...FETCH_BLOCKED_PORTS].sort((a, b) => a - b));
  });
});
