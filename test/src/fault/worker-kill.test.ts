import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duplicateEventsSql, inBatches, tokenFor, withClusterDb } from '../support/cluster-checks.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { startTestCluster, type TestCluster } from '../support/test-cluster.js';
import { call } from '../support/test-server.js';
import { waitFor } from '../support/wait-for.js';
import { writeFaultPolicy } from './fault-policy.js';

const contributionCount = Number(process.env.FAULT_CONTRIBUTIONS ?? 2_000);
const sbomCount = Number(process.env.FAULT_SBOMS ?? 200);
const minKills = 20;
const org = 'fault-org';

/**
 * Issue 7's worker massacre: API + 2 worker processes, thousands of accepted
 * items, a worker killed with SIGKILL every ~0.5 s and restarted. Afterwards
 * every item is final with exactly one outcome, no audit event is doubled,
 * and the chain verifies.
 */
describe('kill -9 of workers during a run (real processes, PostgreSQL, Redis)', () => {
  let github: FakeGitHub;
  let cluster: TestCluster;
  let policyDir: string;
  let requester: string;
  let compliance: string;
  let auditor: string;

  beforeAll(async () => {
    github = await startFakeGitHub();
    for (let n = 0; n < 10; n += 1) github.addRepo({ owner: org, name: `ok-${n}`, license: 'MIT' });
    for (let n = 0; n < 3; n += 1) github.addRepo({ owner: org, name: `agpl-${n}`, license: 'AGPL-3.0-only' });
    policyDir = await mkdtemp(join(tmpdir(), 'clearance-fault-policy-'));
    await writeFaultPolicy(policyDir, org);
    cluster = await startTestCluster({ workers: 2, env: { GITHUB_API_URL: github.baseUrl, CLEARANCE_POLICY_DIR: policyDir } });
    requester = await tokenFor(cluster.baseUrl, cluster.adminToken, 'erin', ['requester']);
    compliance = await tokenFor(cluster.baseUrl, cluster.adminToken, 'carla', ['compliance']);
    auditor = await tokenFor(cluster.baseUrl, cluster.adminToken, 'audrey', ['auditor']);
  }, 120_000);
  afterAll(async () => {
    await cluster.stop();
    await github.close();
    await rm(policyDir, { recursive: true, force: true });
  });

  it('brings every accepted item to exactly one final outcome', async () => {
    const schema = cluster.env.DATABASE_SCHEMA ?? '';
    const sbom = await readFile(new URL('../../fixtures/real-sboms/laravel/bom.1.4.json', import.meta.url));
    let submitting = true;
    let kills = 0;

    const killer = (async () => {
      while ((submitting || kills < minKills) && kills < 500) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        const index = Math.floor(Math.random() * cluster.workers.length);
        await cluster.killWorker(index, 'SIGKILL');
        cluster.startWorker(index);
        kills += 1;
      }
    })();

    const work = [
      ...Array.from({ length: contributionCount }, (_, n) => ({ kind: 'contribution' as const, n })),
      ...Array.from({ length: sbomCount }, (_, n) => ({ kind: 'sbom' as const, n })),
    ].sort((a, b) => (a.n % 10) - (b.n % 10) || (a.kind < b.kind ? -1 : 1));
    const accepted = await inBatches(work, 16, async (item) => {
      if (item.kind === 'sbom') {
        const response = await call<{ id: string }>(cluster.baseUrl, 'POST', '/sboms', { token: compliance, rawBody: sbom });
        expect(response.status).toBe(202);
        return response.body.id;
      }
      const repo = item.n % 10 === 0 ? `agpl-${item.n % 3}` : `ok-${item.n % 10}`;
      const response = await call<{ id: string }>(cluster.baseUrl, 'POST', '/contributions', {
        token: requester,
        body: {
          tier: 'bug-fix',
          upstream: `https://github.com/${org}/${repo}`,
          title: `Fix ${item.n}`,
          justification: 'fault test',
          estimatedLinesChanged: 10,
        },
      });
      expect(response.status).toBe(202);
      return response.body.id;
    });
    submitting = false;
    await killer;

    const finalCounts = () =>
      withClusterDb(schema, async (query) => {
        const [contributions] = await query<{ open: number; approved: number; rejected: number }>(
          `SELECT count(*) FILTER (WHERE status IN ('submitted', 'enriching', 'in-review'))::int AS open,
                  count(*) FILTER (WHERE status = 'auto-approved')::int AS approved,
                  count(*) FILTER (WHERE status = 'auto-rejected')::int AS rejected
           FROM contribution_requests`,
        );
        const [sboms] = await query<{ open: number; evaluated: number }>(
          `SELECT count(*) FILTER (WHERE status <> 'evaluated')::int AS open, count(*) FILTER (WHERE status = 'evaluated')::int AS evaluated FROM sboms`,
        );
        return { contributions, sboms };
      });
    const final = await waitFor(
      async () => {
        const counts = await finalCounts();
        return counts.contributions?.open === 0 && counts.sboms?.open === 0 ? counts : undefined;
      },
      { timeoutMs: 300_000, intervalMs: 500, what: 'every accepted item final' },
    );

    const duplicates = await withClusterDb(schema, (query) => query(duplicateEventsSql));
    const outcomes = await withClusterDb(schema, (query) =>
      query<{ count: number }>(
        `SELECT count(*)::int AS count FROM audit_events
         WHERE action IN ('contribution.auto-approved', 'contribution.auto-rejected', 'sbom.evaluated')`,
      ),
    );
    const verify = await call<{ ok: boolean; eventCount: number; problems: unknown[] }>(cluster.baseUrl, 'GET', '/audit/verify', { token: auditor });

    console.log(
      `worker kills: ${kills}; contributions accepted ${contributionCount} (auto-approved ${final.contributions?.approved}, auto-rejected ${final.contributions?.rejected}); ` +
        `SBOMs accepted ${sbomCount} (evaluated ${final.sboms?.evaluated}); outcome events ${outcomes[0]?.count}; duplicate events ${duplicates.length}; ` +
        `audit events ${verify.body.eventCount}, chain ok: ${verify.body.ok}`,
    );
    expect(kills).toBeGreaterThanOrEqual(minKills);
    expect(new Set(accepted).size).toBe(contributionCount + sbomCount);
    expect((final.contributions?.approved ?? 0) + (final.contributions?.rejected ?? 0)).toBe(contributionCount);
    expect(final.contributions?.rejected).toBe(Math.ceil(contributionCount / 10));
    expect(final.sboms?.evaluated).toBe(sbomCount);
    expect(outcomes[0]?.count).toBe(contributionCount + sbomCount);
    expect(duplicates).toEqual([]);
    expect(verify.body).toMatchObject({ ok: true, problems: [] });
  }, 600_000);
});
