import { describe, expect, it } from 'vitest';
import { MemoryQueue } from './memory-queue.js';
import { describeQueueContract } from './queue.contract.js';

describeQueueContract('memory', async ({ concurrency, retry }) => new MemoryQueue(concurrency, retry));

describe('MemoryQueue', () => {
  it('rejects a concurrency that is not a positive integer', () => {
    expect(() => new MemoryQueue(0, { attempts: 1, backoffMs: 1 })).toThrow(/positive integer/);
  });
});
