import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisAnswers } from '@clearance/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenFor, withClusterDb } from '../support/cluster-checks.js';
import { freePort } from '../support/spawn-cli.js';
import { startTestCluster, type TestCluster } from '../support/test-cluster.js';
import { startOwnRedis, stopOwnRedis } from '../support/test-redis.js';
import { call } from '../support/test-server.js';
import { waitFor } from '../support/wait-for.js';

describe('a Redis outage during a run (real processes)', () => {
  let cluster: TestCluster;
  let redis: ChildProcess;
  let port: number;
  let dir: string;
  let compliance: string;

  beforeAll(async () => {
    port = await freePort();
    dir = await mkdtemp(join(tmpdir(), 'clearance-redis-outage-'));
    redis = startOwnRedis(port, dir);
    await waitFor(() => redisAnswers(`redis://127.0.0.1:${port}`), { what: 'test redis up' });
    cluster = await startTestCluster({ workers: 2, env: { REDIS_URL: `redis://127.0.0.1:${port}`, CLEARANCE_WORKER_STALE_MS: '3000' } });
    compliance = await tokenFor(cluster.baseUrl, cluster.adminToken, 'carla', ['compliance']);
  }, 120_000);
  afterAll(async () => {
    await cluster.stop();
    await stopOwnRedis(redis, 'SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps accepting work, reports not ready, and delivers everything once Redis is back', async () => {
    const sbom = await readFile(new URL('../../fixtures/real-sboms/laravel/bom.1.4.json', import.meta.url));
    const upload = async (): Promise<string> => {
      const response = await call<{ id: string }>(cluster.baseUrl, 'POST', '/sboms', { token: compliance, rawBody: sbom });
      expect(response.status).toBe(202);
      return response.body.id;
    };
    const accepted = [await upload(), await upload()];

    const stoppedAt = Date.now();
    await stopOwnRedis(redis);
    const notReady = await waitFor(
      async () => {
        const response = await fetch(`${cluster.baseUrl}/readyz`);
        const body = (await response.json()) as { checks: { redis: { ok: boolean } } };
        return response.status === 503 && !body.checks.redis.ok ? body : undefined;
      },
      { what: '/readyz 503 while Redis is down' },
    );
    expect(notReady.checks.redis.ok).toBe(false);
    // Uploads commit to PostgreSQL with their outbox row: Redis is not needed to accept them.
    for (let n = 0; n < 5; n += 1) accepted.push(await upload());
    // The API process relays nothing itself: its outbox check reports work waiting longer than a worker may be silent.
    const backlog = await waitFor(
      async () => {
        const body = (await (await fetch(`${cluster.baseUrl}/readyz`)).json()) as { checks: { outbox: { ok: boolean; detail: string } } };
        return body.checks.outbox.ok ? undefined : body.checks.outbox;
      },
      { what: '/readyz outbox check failing while rows wait' },
    );
    expect(backlog.detail).toMatch(/^oldest undelivered row \d+ ms old \(stale after 3000 ms\)$/);

    // The outage lasts 10 s, as an operator's Redis restart might.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 10_000 - (Date.now() - stoppedAt))));
    redis = startOwnRedis(port, dir);
    let lastReport = '';
    await waitFor(
      async () => {
        const response = await fetch(`${cluster.baseUrl}/readyz`);
        lastReport = await response.text();
        return response.status === 200;
      },
      { timeoutMs: 60_000, intervalMs: 200, what: '/readyz 200 again: workers resumed by themselves' },
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}; last /readyz: ${lastReport}`);
    });
    // Ready again means the outbox check passed too: the workers' relays caught up.
    for (const id of accepted) {
      await waitFor(async () => (await call<{ status: string }>(cluster.baseUrl, 'GET', `/sboms/${id}`, { token: compliance })).body.status === 'evaluated', {
        timeoutMs: 60_000,
        what: `SBOM ${id} evaluated after the outage`,
      });
    }
    const evaluatedOnce = await withClusterDb(cluster.env.DATABASE_SCHEMA ?? '', (query) =>
      query<{ subject_id: string; count: number }>(
        "SELECT subject_id, count(*)::int AS count FROM audit_events WHERE action = 'sbom.evaluated' GROUP BY subject_id",
      ),
    );
    expect(evaluatedOnce.map((row) => row.count)).toEqual(accepted.map(() => 1));
  }, 120_000);
});
