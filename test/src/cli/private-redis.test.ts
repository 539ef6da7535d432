import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisAnswers, resolveRedis } from '@clearance/cli';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRedisUrl } from '../support/test-redis.js';

const nothingListens = 'redis://127.0.0.1:1';

describe('finding Redis for the all-in-one mode', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'clearance-redis-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('uses REDIS_URL as given and the default Redis when it answers', async () => {
    expect(await resolveRedis({ url: 'redis://example:1', dataDir })).toEqual({ url: 'redis://example:1', privateServer: null });
    expect(await resolveRedis({ url: undefined, dataDir, defaultUrl: testRedisUrl })).toEqual({ url: testRedisUrl, privateServer: null });
  });

  it('starts a private, persistent redis-server when nothing answers, reuses it, and stops it', async () => {
    const first = await resolveRedis({ url: undefined, dataDir, defaultUrl: nothingListens });
    expect(first.privateServer).not.toBeNull();
    expect(await redisAnswers(first.url)).toBe(true);
    const redis = new Redis(first.url);
    expect(await redis.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
    expect(await redis.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
    expect(await redis.config('GET', 'dir')).toEqual(['dir', join(dataDir, 'redis')]);
    redis.disconnect();
    expect(await readFile(join(dataDir, 'redis', 'port'), 'utf8')).toBe(first.url.split(':').at(-1));

    // A second start (say after a crash) finds the same server instead of starting another on the same files.
    const second = await resolveRedis({ url: undefined, dataDir, defaultUrl: nothingListens });
    expect(second.url).toBe(first.url);

    await first.privateServer?.stop();
    expect(await redisAnswers(first.url)).toBe(false);
  });
});
