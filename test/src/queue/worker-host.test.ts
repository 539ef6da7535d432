import {
  handlerFor,
  heartbeatAgeMs,
  jobNames,
  recordHeartbeat,
  QueueRegistry,
  WorkerHost,
  createRedis,
  resolveHandlers,
  type HandlerRegistration,
  type RedisSettings,
} from '@clearance/queue';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteRedisPrefix, testRedisSettings } from '../support/test-redis.js';
import { waitFor } from '../support/wait-for.js';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** A handler for every job of the catalog that only notes the job ids it ran. */
const recordingHandlers = (seen: string[]): HandlerRegistration[] =>
  jobNames.map((name) =>
    handlerFor(name, (_payload, context) => {
      seen.push(context.jobId);
      return Promise.resolve();
    }),
  );

describe('worker handlers must match the job catalog', () => {
  it('accepts exactly one handler per job', () => {
    expect([...resolveHandlers(recordingHandlers([])).keys()].sort()).toEqual([...jobNames].sort());
  });
  it('refuses a job with no handler', () => {
    expect(() => resolveHandlers(recordingHandlers([]).slice(1))).toThrow(`no handler for job "${jobNames[0]}"`);
  });
  it('refuses two handlers for one job', () => {
    const all = recordingHandlers([]);
    expect(() => resolveHandlers([...all, handlerFor('system.heartbeat', () => Promise.resolve())])).toThrow(
      'two handlers for job "system.heartbeat"',
    );
  });
  it('refuses a handler for a job not in the catalog', () => {
    const stray = { job: 'no.such.job', handle: () => Promise.resolve() };
    expect(() => resolveHandlers([...recordingHandlers([]), stray])).toThrow('unknown job "no.such.job"');
  });
});

describe('worker host (real Redis)', () => {
  let settings: RedisSettings;
  let producer: Redis;
  let queues: QueueRegistry;
  beforeAll(() => {
    settings = testRedisSettings('workers');
    producer = createRedis(settings, 'producer');
    queues = new QueueRegistry(producer, settings.prefix);
  });
  afterAll(async () => {
    await queues.close();
    producer.disconnect();
    await deleteRedisPrefix(settings.prefix);
  });

  it('runs handlers, parses payloads again, and leaves a bad payload visibly failed', async () => {
    const seen: string[] = [];
    const host = new WorkerHost({
      redis: settings,
      log: silent,
      heartbeatEveryMs: 100,
      registrations: [
        ...recordingHandlers(seen).filter((registration) => registration.job !== 'system.heartbeat'),
        handlerFor('system.heartbeat', async (_payload, context) => {
          seen.push(context.jobId);
          await recordHeartbeat(context.redis, settings.prefix);
        }),
      ],
    });
    await host.start();
    try {
      // The scheduler's heartbeat jobs reach the handler and prove progress.
      await waitFor(async () => (await heartbeatAgeMs(producer, settings.prefix)) !== null, { what: 'first heartbeat' });
      expect(host.lastProgressAt).not.toBeNull();

      // A payload that does not match the schema (written around the outbox) fails at once, for good.
      const bad = await queues.get('system.heartbeat').add('system.heartbeat', { unexpected: true }, { jobId: 'bad-one', attempts: 5 });
      const failed = await waitFor(async () => ((await bad.getState()) === 'failed' ? bad.id : undefined), { what: 'bad job failed' });
      expect(failed).toBe('bad-one');
      const reloaded = await queues.get('system.heartbeat').getJob('bad-one');
      expect(reloaded?.attemptsMade).toBe(1);
      expect(reloaded?.failedReason).toContain('does not match its schema');
      expect(seen).not.toContain('bad-one');
    } finally {
      await host.close(2_000);
    }
  });
});
