import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll } from 'vitest';
import { BullmqQueue } from './bullmq-queue.js';
import { describeQueueContract } from './queue.contract.js';

// Redis runs on loopback on the development machines and CI (.ci/run starts it): these tests need it.
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefixes: string[] = [];

afterAll(async () => {
  const redis = new Redis(redisUrl);
  for (const prefix of prefixes) {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
  }
  redis.disconnect();
});

describeQueueContract('bullmq', async ({ concurrency, retry }) => {
  const prefix = `daybreak-test-${randomUUID()}`;
  prefixes.push(prefix);
  return new BullmqQueue({ redisUrl, name: 'reports', prefix, concurrency, retry, lockDurationMs: 5_000 });
});
