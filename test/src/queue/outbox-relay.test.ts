import { countPendingOutbox, oldestPendingOutboxAgeMs } from '@clearance/db';
import { OutboxRelay, QueueRegistry, createRedis, enqueue, type RedisSettings } from '@clearance/queue';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestPostgres, type TestDatabase } from '../support/test-database.js';
import { deleteRedisPrefix, testRedisSettings } from '../support/test-redis.js';
import { waitFor } from '../support/wait-for.js';

const silent = { warn: () => undefined, error: () => undefined };

describe('transactional outbox relay (real PostgreSQL and Redis)', () => {
  let test: TestDatabase;
  let settings: RedisSettings;
  let producer: Redis;
  let queues: QueueRegistry;

  beforeAll(async () => {
    test = await openTestPostgres('outbox');
    settings = testRedisSettings('outbox');
    producer = createRedis(settings, 'producer');
    queues = new QueueRegistry(producer, settings.prefix);
  });
  afterAll(async () => {
    await queues.close();
    producer.disconnect();
    await deleteRedisPrefix(settings.prefix);
    await test.close();
  });

  const queuedJobIds = async (): Promise<string[]> => {
    const jobs = await queues.get('system.heartbeat').getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']);
    return jobs.map((job) => job.id ?? '').sort();
  };

  it('delivers exactly the committed rows, once, across a stop and a start', async () => {
    const relay = new OutboxRelay({ db: test.db, queues, log: silent, pollMs: 20 });
    // Written while no relay runs: one committed, one rolled back.
    await test.db.transaction((tx) => enqueue(tx, 'system.heartbeat', {}));
    await expect(
      test.db.transaction(async (tx) => {
        await tx.query("INSERT INTO outbox (id, job_name, payload) VALUES ('rolled-back', 'system.heartbeat', '{}')");
        throw new Error('domain change failed');
      }),
    ).rejects.toThrow('domain change failed');
    expect(await countPendingOutbox(test.db)).toBe(1);
    // What an API-only process reports on /readyz: how long the oldest row has waited for a relay.
    const waitedMs = await oldestPendingOutboxAgeMs(test.db);
    expect(waitedMs).toBeGreaterThanOrEqual(0);
    expect(waitedMs).toBeLessThan(60_000);

    relay.start();
    await waitFor(async () => (await countPendingOutbox(test.db)) === 0, { what: 'outbox drained' });
    await relay.stop();
    expect(await oldestPendingOutboxAgeMs(test.db)).toBeNull();
    expect(await queuedJobIds()).toEqual(['system.heartbeat.heartbeat']);

    // Same domain key again: the outbox refuses the duplicate.
    expect(await test.db.transaction((tx) => enqueue(tx, 'system.heartbeat', {}))).toBeNull();

    // A row written while stopped goes out after the next start, and only once.
    await test.db.query("INSERT INTO outbox (id, job_name, payload) VALUES ('system.heartbeat.second', 'system.heartbeat', '{}')");
    expect(await countPendingOutbox(test.db)).toBe(1);
    relay.start();
    await waitFor(async () => (await countPendingOutbox(test.db)) === 0, { what: 'second row delivered' });
    await relay.stop();
    expect(await queuedJobIds()).toEqual(['system.heartbeat.heartbeat', 'system.heartbeat.second']);
  });

  it('drops a row whose payload is not its job, recording why', async () => {
    const relay = new OutboxRelay({ db: test.db, queues, log: silent });
    await test.db.query(
      `INSERT INTO outbox (id, job_name, payload) VALUES ('bad-payload', 'system.heartbeat', '{"extra": 1}'), ('bad-name', 'no.such.job', '{}')`,
    );
    expect(await relay.deliverBatch()).toBe(2);
    const { rows } = await test.db.query<{ id: string; last_error: string }>(
      "SELECT id, last_error FROM outbox WHERE id IN ('bad-payload', 'bad-name') ORDER BY id",
    );
    expect(rows.map((row) => row.last_error)).toEqual(['rejected: not a valid job of the catalog', 'rejected: not a valid job of the catalog']);
    expect(await queuedJobIds()).not.toContain('bad-payload');
  });

  it('keeps rows when Redis refuses them and delivers them once it answers', async () => {
    const deadSettings = { url: 'redis://127.0.0.1:1', prefix: settings.prefix };
    const deadProducer = createRedis(deadSettings, 'producer');
    const deadQueues = new QueueRegistry(deadProducer, settings.prefix);
    const relay = new OutboxRelay({ db: test.db, queues: deadQueues, log: silent });
    await test.db.query("INSERT INTO outbox (id, job_name, payload) VALUES ('system.heartbeat.third', 'system.heartbeat', '{}')");
    await expect(relay.deliverBatch()).rejects.toThrow();
    expect(await countPendingOutbox(test.db)).toBe(1);
    await deadQueues.close().catch(() => undefined);
    deadProducer.disconnect();

    const live = new OutboxRelay({ db: test.db, queues, log: silent });
    expect(await live.deliverBatch()).toBe(1);
    expect(await queuedJobIds()).toContain('system.heartbeat.third');
  });
});
