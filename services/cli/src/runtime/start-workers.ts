import type { Database } from '@clearance/db';
import type { LoadedPolicy } from '@clearance/policy';
import { OutboxRelay, WorkerHost, type QueueRegistry, type RedisSettings } from '@clearance/queue';
import { createNotificationSender, effectiveRouting, githubDependencies, handlerRegistrations } from '@clearance/workers';
import type { Logger } from 'pino';

type WorkerSettings = Parameters<typeof githubDependencies>[0] & {
  CLEARANCE_NOTIFY_WEBHOOK_URL?: string | undefined;
  CLEARANCE_SMTP_URL?: string | undefined;
  CLEARANCE_MAIL_FROM: string;
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
export async function startWorkers(input: {
  db: Database;
  log: Logger;
  policy: LoadedPolicy;
  redis: RedisSettings;
  queues: QueueRegistry;
  env: WorkerSettings;
  /** Where the routing file's urlEnv/secretEnv names are read: the process environment. */
  channelEnv: Readonly<Record<string, string | undefined>>;
}): Promise<RunningWorkers> {
  const { db, log, policy, redis, queues, env } = input;
  const routing = effectiveRouting(policy.notifications, env.CLEARANCE_NOTIFY_WEBHOOK_URL ?? null);
  // Before anything starts: a channel whose variable is unset stops the process with the variable's name.
  const notifications = createNotificationSender({
    routing,
    env: { ...input.channelEnv, CLEARANCE_NOTIFY_WEBHOOK_URL: env.CLEARANCE_NOTIFY_WEBHOOK_URL },
    email: env.CLEARANCE_SMTP_URL === undefined ? null : { smtpUrl: env.CLEARANCE_SMTP_URL, from: env.CLEARANCE_MAIL_FROM },
  });
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
      notifications: { routing, send: notifications.send },
    }),
    log,
    heartbeatEveryMs: env.CLEARANCE_HEARTBEAT_MS,
  });
  try {
    await host.start();
  } catch (error) {
    await relay.stop();
    notifications.close();
    throw error;
  }
  return {
    nudgeRelay: () => relay.nudge(),
    relayError: () => relay.lastError,
    async stop(graceMs) {
      await host.close(graceMs);
      await relay.stop();
      notifications.close();
    },
  };
}
