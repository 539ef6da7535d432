import type { Database } from '@clearance/db';
import type { LoadedPolicy } from '@clearance/policy';
import { OutboxRelay, WorkerHost, type QueueRegistry, type RedisSettings } from '@clearance/queue';
import { githubDependencies, handlerRegistrations } from '@clearance/workers';
import type { Logger } from 'pino';

type WorkerSettings = Parameters<typeof githubDependencies>[0] & {
  CLEARANCE_NOTIFY_WEBHOOK_URL?: string | undefined;
  CLEARANCE_HEARTBEAT_MS: number;
};

export interface RunningWorkers {
  /** Lets code that committed outbox rows have them relayed now rather than at the next poll. */
  nudgeRelay(): void;
  /** Why the relay last failed to deliver, or null while it delivers. */
  relayError(): string | null;
  /** Stops taking jobs (waiting up to `graceMs` for running ones), then the relay. */
  stop(graceMs: number): Promise<void>;
}

/**
 * The workers of every job in the catalog and the outbox relay that feeds
 * them, wired the same way for both runtimes that run them: the all-in-one
 * `serve` and the scaled-out `worker` process.
 */
export async function startWorkers(input: { db: Database; log: Logger; policy: LoadedPolicy; redis: RedisSettings; queues: QueueRegistry; env: WorkerSettings }): Promise<RunningWorkers> {
  const { db, log, policy, redis, queues, env } = input;
  const relay = new OutboxRelay({ db, queues, log });
  relay.start();
  const host = new WorkerHost({
    redis,
    registrations: handlerRegistrations({
      db,
      log,
      policy,
      redisPrefix: redis.prefix,
      nudgeRelay: () => relay.nudge(),
      ...githubDependencies(env),
      notifyWebhookUrl: env.CLEARANCE_NOTIFY_WEBHOOK_URL ?? null,
    }),
    log,
    heartbeatEveryMs: env.CLEARANCE_HEARTBEAT_MS,
  });
  try {
    await host.start();
  } catch (error) {
    await relay.stop();
    throw error;
  }
  return {
    nudgeRelay: () => relay.nudge(),
    relayError: () => relay.lastError,
    async stop(graceMs) {
      await host.close(graceMs);
      await relay.stop();
    },
  };
}
