import { Redis, type RedisOptions } from 'ioredis';

export interface RedisSettings {
  url: string;
  /** Namespaces every key, so tests and deployments can share one Redis. */
  prefix: string;
}

/**
 * Workers block on Redis and must wait for it forever (BullMQ requires
 * `maxRetriesPerRequest: null`); producers and health checks must fail fast
 * instead, so an outage surfaces as an error the caller can handle.
 */
export function createRedis(settings: RedisSettings, role: 'worker' | 'producer'): Redis {
  const options: RedisOptions =
    role === 'worker'
      ? { maxRetriesPerRequest: null, enableReadyCheck: true }
      : // Commands wait while connecting, but fail after one reconnect attempt.
        { maxRetriesPerRequest: 1, connectTimeout: 2_000 };
  const redis = new Redis(settings.url, { ...options, lazyConnect: false, retryStrategy: (times) => Math.min(times * 200, 2_000) });
  // Connection errors are reported through the operations that fail and
  // through /readyz; an unhandled 'error' event would crash the process.
  redis.on('error', () => undefined);
  return redis;
}

export const heartbeatKey = (prefix: string): string => `${prefix}:clearance:heartbeat`;
