import { Redis } from 'ioredis';
import type { RedisSettings } from '@clearance/queue';
import { uniqueName } from './test-database.js';

export const testRedisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Redis settings with a key prefix of their own, so test files never see each other's jobs. */
export function testRedisSettings(prefix = 'tq'): RedisSettings {
  return { url: testRedisUrl, prefix: uniqueName(prefix) };
}

export async function deleteRedisPrefix(prefix: string): Promise<void> {
  const redis = new Redis(testRedisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
