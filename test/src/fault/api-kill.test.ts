import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duplicateEventsSql, tokenFor, withClusterDb } from '../support/cluster-checks.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { startTestCluster, type TestCluster } from '../support/test-cluster.js';
import { call } from '../support/test-server.js';
import { waitFor } from '../support/wait-for.js';
import { writeFaultPolicy } from './fault-policy.js';

const org = 'burst-org';

/**
 * kill -9 of the API in the middle of a burst of submissions: requests are
 * committed with their outbox row, some without their answer arriving. An
 * API-only process relays nothing (the workers' relays do), so with no worker
 * running every committed row is still in the outbox at the kill; the
 * workers started afterwards deliver them.
 */
describe('kill -9 of the API during a burst (real processes)', () => {
  let github: FakeGitHub;
  let cluster: TestCluster;
  let policyDir: string;
  let requester: string;

  beforeAll(async () => {
    github = await startFakeGitHub();
    for (let n = 0; n < 5; n += 1) github.addRepo({ owner: org, name: `repo-${n}`, license: 'Apache-2.0' });
    policyDir = await mkdtemp(join(tmpdir(), 'clearance-burst-policy-'));
    await writeFaultPolicy(policyDir, org);
    // No workers yet: what the API committed waits in the outbox or in Redis.
    cluster = await startTestCluster({ workers: 0, env: { GITHUB_API_URL: github.baseUrl, CLEARANCE_POLICY_DIR: policyDir } });
    requester = await tokenFor(cluster.baseUrl, cluster.adminToken, 'erin', ['requester']);
  }, 120_000);
  afterAll(async () => {
    await cluster.stop();
    await github.close();
    await rm(policyDir, { recursive: true, force: true });
  });

  it('delivers every committed request after the crash', async () => {
    const acknowledged: string[] = [];
    let failedCalls = 0;
    const submit = async (n: number): Promise<void> => {
      const response = await call<{ id: string }>(cluster.baseUrl, 'POST', '/contributions', {
        token: requester,
        body: { tier: 'bug-fix', upstream: `https://github.com/${org}/repo-${n % 5}`, title: `Fix ${n}`, justification: 'burst', estimatedLinesChanged: 5 },
      }).catch(() => null);
      if (response?.status === 202) acknowledged.push(response.body.id);
      else failedCalls += 1;
    };
    // Eight clients submit as fast as they can; the API dies under them after 150 acknowledgements.
    const clients = Array.from({ length: 8 }, async (_, client) => {
      for (let n = client; n < 4_000 && cluster.api.child.exitCode === null; n += 8) await submit(n);
    });
    await waitFor(() => acknowledged.length >= 150, { what: '150 acknowledged submissions' });
    expect(await cluster.killApi('SIGKILL')).toBe('SIGKILL');
    await Promise.all(clients);

    const schema = cluster.env.DATABASE_SCHEMA ?? '';
    const committed = await withClusterDb(schema, (query) => query<{ id: string }>('SELECT id FROM contribution_requests'));
    // Every acknowledged request was committed; some may have committed without their answer arriving.
    const committedIds = new Set(committed.map((row) => row.id));
    expect(acknowledged.filter((id) => !committedIds.has(id))).toEqual([]);
    // Rows committed with their outbox entry, waiting for a worker's relay.
    const [stranded] = await withClusterDb(schema, (query) =>
      query<{ count: number }>('SELECT count(*)::int AS count FROM outbox WHERE delivered_at IS NULL'),
    );

    await cluster.startApi();
    cluster.startWorker(0);
    await waitFor(
      () =>
        withClusterDb(schema, async (query) => {
          const [row] = await query<{ open: number }>(
            "SELECT count(*)::int AS open FROM contribution_requests WHERE status NOT IN ('auto-approved', 'auto-rejected')",
          );
          return row?.open === 0;
        }),
      { timeoutMs: 120_000, intervalMs: 500, what: 'every committed request final' },
    );
    const pending = await withClusterDb(schema, (query) => query<{ count: number }>('SELECT count(*)::int AS count FROM outbox WHERE delivered_at IS NULL'));
    const duplicates = await withClusterDb(schema, (query) => query(duplicateEventsSql));
    console.log(
      `API killed after ${acknowledged.length} acknowledged submissions: ${committed.length} committed, ` +
        `${stranded?.count ?? 0} outbox rows not yet in Redis at the kill, ${failedCalls} calls failed against the dead API; all final after restart`,
    );
    expect(pending[0]?.count).toBe(0);
    expect(duplicates).toEqual([]);
  }, 300_000);
});
