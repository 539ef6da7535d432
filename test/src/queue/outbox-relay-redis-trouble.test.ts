import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisAnswers } from '@clearance/cli';
import { countPendingOutbox } from '@clearance/db';
import { OutboxRelay, QueueRegistry, createRedis, enqueue } from '@clearance/queue';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freePort } from '../support/spawn-cli.js';
import { openTestPostgres, uniqueName, type TestDatabase } from '../support/test-database.js';
import { startOwnRedis, stopOwnRedis } from '../support/test-redis.js';
import { waitFor } from '../support/wait-for.js';

const silent = { warn: () => undefined, error: () => undefined };
const HAND_OFF_TIMEOUT_MS = 500;

/**
 * The relay when Redis does not answer or is gone, on a Redis of this file's
 * own: a hand-off that hangs is given up after its deadline, the rows stay in
 * the outbox, and they go out once Redis works again.
 */
describe('outbox relay when Redis hangs or restarts (real PostgreSQL and Redis)', () => {
  let test: TestDatabase;
  let redis: ChildProcess;
  let url: string;
  let dir: string;
  let port: number;
  // Each test has an outbox and queues of its own: one that fails leaves nothing for the next.
  let prefix: string;

  beforeAll(async () => {
    port = await freePort();
    url = `redis://127.0.0.1:${port}`;
    dir = await mkdtemp(join(tmpdir(), 'clearance-relay-redis-'));
    redis = startOwnRedis(port, dir);
    await waitFor(() => redisAnswers(url), { what: 'test redis up' });
  });
  beforeEach(async () => {
    test = await openTestPostgres('relay_trouble');
    prefix = uniqueName('relay_trouble');
  });
  afterEach(async () => {
    await test.close();
  });
  afterAll(async () => {
    await stopOwnRedis(redis, 'SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  /** A producer connection, its queues and a relay, as a process builds them at start. */
  const startRelay = () => {
    const connection = createRedis({ url, prefix }, 'producer');
    const queues = new QueueRegistry(connection, prefix);
    const relay = new OutboxRelay({ db: test.db, queues, log: silent, pollMs: 20, handOffTimeoutMs: HAND_OFF_TIMEOUT_MS });
    const stop = async (): Promise<void> => {
      await relay.stop();
      connection.disconnect();
      await queues.close().catch(() => undefined);
    };
    return { queues, relay, stop };
  };

  const heartbeatJobIds = async (): Promise<string[]> => {
    const connection = createRedis({ url, prefix }, 'producer');
    const reader = new QueueRegistry(connection, prefix);
    try {
      const jobs = await reader.get('system.heartbeat').getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']);
      return jobs.map((job) => job.id ?? '').sort();
    } finally {
      await reader.close();
      connection.disconnect();
    }
  };

  const writeHeartbeat = (id: string) =>
    test.db.query("INSERT INTO outbox (id, job_name, payload) VALUES ($1, 'system.heartbeat', '{}')", [id]);

  it('gives up a hand-off Redis does not answer within the deadline, keeps the row, and delivers it once Redis answers', async () => {
    const { queues, relay, stop } = startRelay();
    const admin = new Redis(url);
    try {
      await writeHeartbeat('hb.before-pause');
      expect(await relay.deliverBatch()).toBe(1);
      const queueBefore = queues.get('system.heartbeat');

      // Redis holds every write (BullMQ adds jobs by scripts) until unpaused: the hand-off hangs.
      await admin.call('CLIENT', 'PAUSE', '60000', 'WRITE');
      await writeHeartbeat('hb.during-pause');
      await expect(relay.deliverBatch()).rejects.toThrow(`did not answer within ${HAND_OFF_TIMEOUT_MS} ms`);
      // The claim was rolled back: the row waits for the next batch, unlocked.
      expect(await countPendingOutbox(test.db)).toBe(1);
      // The queue whose call failed is dropped; the next batch builds a fresh one.
      expect(queues.get('system.heartbeat')).not.toBe(queueBefore);

      await admin.call('CLIENT', 'UNPAUSE');
      expect(await relay.deliverBatch()).toBe(1);
      expect(await countPendingOutbox(test.db)).toBe(0);
      // The hand-off given up may still land after the pause: the job id is the outbox id, so it is one job.
      expect(await heartbeatJobIds()).toEqual(['hb.before-pause', 'hb.during-pause']);
    } finally {
      await admin.call('CLIENT', 'UNPAUSE').catch(() => undefined);
      admin.disconnect();
      await stop();
    }
  });

  it('delivers rows written while Redis was down, through queues first used during the outage, once it is back', async () => {
    await stopOwnRedis(redis);
    // A process that starts, or first relays this job, while Redis is down.
    const { relay, stop } = startRelay();
    try {
      await test.db.transaction((tx) => enqueue(tx, 'system.heartbeat', {}));
      await writeHeartbeat('hb.during-outage');
      await expect(relay.deliverBatch()).rejects.toThrow();
      expect(await countPendingOutbox(test.db)).toBe(2);
      relay.start();

      redis = startOwnRedis(port, dir);
      await waitFor(() => redisAnswers(url), { what: 'test redis back' });
      await waitFor(async () => (await countPendingOutbox(test.db)) === 0, { what: 'the outbox drained after Redis came back' });
      expect(relay.lastError).toBeNull();
      expect(await heartbeatJobIds()).toEqual(['hb.during-outage', 'system.heartbeat.heartbeat']);
    } finally {
      await stop();
    }
  });
});
