import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { RedisUnavailableError } from './redis-unavailable-error.js';

export const defaultRedisUrl = 'redis://127.0.0.1:6379';

export interface ResolvedRedis {
  url: string;
  /** Set when this process started a private Redis, which it stops on exit. */
  privateServer: { stop(): Promise<void> } | null;
}


/** One PING with no retries: does a Redis answer at this URL right now? */
export async function redisAnswers(url: string, timeoutMs = 1_000): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

const redisServerOnPath = (): boolean => spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });

async function waitUntilAnswering(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new RedisUnavailableError(`redis-server exited with code ${child.exitCode}`);
    if (await redisAnswers(url, 500)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new RedisUnavailableError(`the private redis-server did not answer within ${timeoutMs} ms`);
}

/**
 * Finds the Redis to use. An explicit REDIS_URL is used as given. Otherwise
 * the default local Redis; if nothing answers there, a private redis-server
 * with its append-only file in the data folder (so queued work survives a
 * restart). Its port is remembered in the folder: a server left behind by a
 * killed process is reused rather than started twice on the same files.
 */
export async function resolveRedis(input: { url: string | undefined; dataDir: string; defaultUrl?: string }): Promise<ResolvedRedis> {
  if (input.url) return { url: input.url, privateServer: null };
  const defaultUrl = input.defaultUrl ?? defaultRedisUrl;
  if (await redisAnswers(defaultUrl)) return { url: defaultUrl, privateServer: null };

  const dir = join(input.dataDir, 'redis');
  const portFile = join(dir, 'port');
  const remembered = await readFile(portFile, 'utf8').catch(() => null);
  if (remembered) {
    const url = `redis://127.0.0.1:${remembered.trim()}`;
    if (await redisAnswers(url)) return { url, privateServer: { stop: () => shutdownRedis(url) } };
  }
  if (!redisServerOnPath()) {
    throw new RedisUnavailableError(
      `no Redis answers at ${defaultUrl} and redis-server is not on the PATH. ` +
        'Install Redis (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) or set REDIS_URL to a running one.',
    );
  }
  await mkdir(dir, { recursive: true });
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', '', '--maxmemory-policy', 'noeviction'],
    { stdio: 'ignore', detached: false },
  );
  await waitUntilAnswering(url, child, 10_000);
  await writeFile(portFile, String(port));
  return {
    url,
    privateServer: {
      async stop() {
        await shutdownRedis(url);
        if (child.exitCode === null) child.kill('SIGTERM');
      },
    },
  };
}

async function shutdownRedis(url: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    // SHUTDOWN closes the connection instead of replying; the error is expected.
    await redis.call('SHUTDOWN').catch(() => undefined);
  } catch {
    // already gone
  } finally {
    redis.disconnect();
  }
}
