import { spawn, type ChildProcess } from 'node:child_process';
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

/**
 * A Redis server of a test's own (AOF on, in `dir`), so stopping or pausing
 * it disturbs no other test. Started again on the same port and folder, it
 * comes back with what it had.
 */
export function startOwnRedis(port: number, dir: string): ChildProcess {
  return spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', ''], { stdio: 'ignore' });
}

/** Stops a Redis started by `startOwnRedis` and waits until it has exited. */
export async function stopOwnRedis(redis: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (redis.exitCode !== null || redis.signalCode !== null) return;
  const exited = new Promise((resolve) => redis.once('exit', resolve));
  redis.kill(signal);
  await exited;
}
