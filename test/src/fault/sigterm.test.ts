import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inBatches, tokenFor, withClusterDb } from '../support/cluster-checks.js';
import { spawnCli } from '../support/spawn-cli.js';
import { startTestCluster, type TestCluster } from '../support/test-cluster.js';
import { call } from '../support/test-server.js';
import { waitFor } from '../support/wait-for.js';

/** SIGTERM to a worker in the middle of its jobs: a clean exit within the grace period, and no job left behind. */
describe('SIGTERM with jobs in flight (real processes)', () => {
  let cluster: TestCluster;
  let compliance: string;
  beforeAll(async () => {
    cluster = await startTestCluster({ workers: 2, env: { SHUTDOWN_GRACE_MS: '5000' } });
    compliance = await tokenFor(cluster.baseUrl, cluster.adminToken, 'carla', ['compliance']);
  }, 120_000);
  afterAll(async () => {
    await cluster.stop();
  });

  it('exits within the grace period and every accepted SBOM is still evaluated exactly once', async () => {
    const sbom = await readFile(new URL('../../fixtures/real-sboms/juice-shop/bom.1.4.json', import.meta.url));
    const ids = await inBatches(Array.from({ length: 30 }), 6, async () => {
      const response = await call<{ id: string }>(cluster.baseUrl, 'POST', '/sboms', { token: compliance, rawBody: sbom });
      expect(response.status).toBe(202);
      return response.body.id;
    });
    const schema = cluster.env.DATABASE_SCHEMA ?? '';
    // Wait until the workers are busy with these jobs, then ask one to stop.
    await waitFor(
      () => withClusterDb(schema, async (query) => (await query<{ count: number }>("SELECT count(*)::int AS count FROM sboms WHERE status = 'evaluated'"))[0]?.count ?? 0),
      { what: 'first evaluations done' },
    );
    // Exit code 0 is the graceful path; past the grace period the process forces itself out with 1.
    expect(await cluster.killWorker(0, 'SIGTERM')).toBe(0);

    await waitFor(
      () =>
        withClusterDb(schema, async (query) => (await query<{ count: number }>("SELECT count(*)::int AS count FROM sboms WHERE status = 'evaluated'"))[0]?.count === ids.length),
      { timeoutMs: 90_000, what: 'all SBOMs evaluated by the remaining worker' },
    );
    const counts = await withClusterDb(schema, (query) =>
      query<{ count: number }>("SELECT count(*)::int AS count FROM audit_events WHERE action = 'sbom.evaluated' GROUP BY subject_id"),
    );
    expect(counts).toHaveLength(ids.length);
    expect(counts.every((row) => row.count === 1)).toBe(true);
  }, 180_000);

  it('exits on SIGTERM when whoever read its logs has gone', async () => {
    // As when the process that started it (a supervisor, a shell pipe) died: writes to stdout fail with EPIPE.
    // Before exitAfterLogs, the log's synchronous flush at exit retried that write forever.
    // Logging at info, so lines ('stopping', 'stopped') wait in the buffer at exit.
    const worker = spawnCli(['worker'], { ...cluster.env, LOG_LEVEL: 'info' });
    try {
      await waitFor(() => worker.stdout().includes('worker is taking jobs'), { what: 'the new worker taking jobs' });
      worker.child.stdout?.destroy();
      worker.child.stderr?.destroy();
      worker.child.kill('SIGTERM');
      expect(await worker.exited).toBe(0);
    } finally {
      if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
    }
  });
});
