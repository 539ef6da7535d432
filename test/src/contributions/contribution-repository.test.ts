import { applyRoutingPlan, createContribution, decide, type ContributionState, type RoutingPlan } from '@clearance/core';
import {
  contributionHistory,
  contributionsInsert,
  findContribution,
  newContributionRecord,
  listReviewQueue,
  saveContributionState,
  unnestInsert,
  type NewContributionRow,
  type Queryable,
} from '@clearance/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, type TestDatabase } from '../support/test-database.js';

const t0 = new Date('2025-06-02T09:00:00Z');
const plan: RoutingPlan = {
  kind: 'stages',
  stages: [
    { index: 0, roles: ['manager'], approvals: 1, dueInWorkingDays: 2, rule: 'tier-stages', reason: 'Manager sign-off' },
    { index: 1, roles: ['ospo', 'legal'], approvals: 1, dueInWorkingDays: 3, rule: 'trust-ladder', reason: 'First contribution' },
  ],
  effectiveTier: 'enhancement',
  linesChanged: 10,
  explanation: [],
};

const accepted = <T extends { ok: boolean }>(result: T): Extract<T, { ok: true }> => {
  if (!result.ok) throw new Error('refused');
  return result as Extract<T, { ok: true }>;
};

/** The repository on both databases Clearance runs on: the all-in-one PGlite and PostgreSQL. */
describe.each(databaseKinds)('contribution repository on $name', ({ open }) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await open();
  });
  afterAll(async () => {
    await test.close();
  });

  const insertContributions = async (tx: Queryable, rows: readonly NewContributionRow[]): Promise<void> => {
    const statement = unnestInsert(contributionsInsert(rows));
    await tx.query(statement.text, statement.values);
  };

  const stored = async (id: string, requester: string): Promise<ContributionState> => {
    const state = createContribution({ id, requester, tier: 'enhancement', now: t0 });
    await test.db.transaction((tx) =>
      insertContributions(tx, [{ state, chainId: id, title: 'T', input: { tier: 'enhancement' }, upstreamKey: 'github.com/o/r', pullRequest: null, createdAt: t0 }]),
    );
    const routed = accepted(applyRoutingPlan(state, plan, t0)).state;
    expect(await test.db.transaction((tx) => saveContributionState(tx, state, routed))).toBe(true);
    return routed;
  };

  it('inserts a batch of new revisions in one statement, each reading back as the record built without reading', async () => {
    const rows = ['ctr_n1', 'ctr_n2', 'ctr_n3'].map((id, i) => ({
      state: createContribution({ id, requester: `dev${i}`, tier: 'bug-fix' as const, now: new Date(t0.getTime() + i) }),
      chainId: id,
      title: `Fix ${i} <b>`,
      input: { tier: 'bug-fix', title: `Fix ${i} <b>`, nested: { list: [i, null] } },
      upstreamKey: i === 1 ? null : `github.com/o/r${i}`,
      pullRequest: i === 2 ? { host: 'github.com', owner: 'o', repo: 'r2', number: 7 } : null,
      createdAt: new Date(t0.getTime() + i),
    }));
    await test.db.transaction((tx) => insertContributions(tx, rows));
    for (const row of rows) expect(await findContribution(test.db, row.state.id)).toEqual(newContributionRecord(row));
  });

  it('round-trips a routed request with its stages, and serves it to the roles of its current stage', async () => {
    const routed = await stored('ctr_a', 'erin');
    const found = await findContribution(test.db, 'ctr_a');
    expect(found?.state).toEqual(routed);
    expect((await listReviewQueue(test.db, { roles: ['manager'], excludeRequester: 'x', limit: 10 })).records.map((r) => r.state.id)).toEqual(['ctr_a']);
    expect((await listReviewQueue(test.db, { roles: ['legal'], excludeRequester: 'x', limit: 10 })).records).toEqual([]);
    expect((await listReviewQueue(test.db, { roles: ['manager'], excludeRequester: 'erin', limit: 10 })).records).toEqual([]);
  });

  it('writes a transition only over the version it was computed from, and appends decisions', async () => {
    const routed = await stored('ctr_b', 'erin');
    const approved = accepted(decide(routed, { user: 'mona', roles: ['manager'], tokenId: 't' }, { decision: 'approve' }, t0)).state;
    expect(await test.db.transaction((tx) => saveContributionState(tx, routed, approved))).toBe(true);
    // A second writer that computed from the same old version loses.
    const racing = accepted(decide(routed, { user: 'max', roles: ['manager'], tokenId: 't' }, { decision: 'approve' }, t0)).state;
    expect(await test.db.transaction((tx) => saveContributionState(tx, routed, racing))).toBe(false);
    const found = await findContribution(test.db, 'ctr_b');
    expect(found?.state.decisions.map((d) => d.by)).toEqual(['mona']);
    expect(found?.state.currentStage).toBe(1);
    expect((await listReviewQueue(test.db, { roles: ['legal'], excludeRequester: 'x', limit: 10 })).records.map((r) => r.state.id)).toEqual(['ctr_b']);
    await expect(test.db.query("UPDATE contribution_decisions SET reason = 'edited'")).rejects.toThrow(/append-only/);
    await expect(test.db.query('TRUNCATE contribution_decisions CASCADE')).rejects.toThrow(/append-only/);
  });

  it('counts history for routing without the request itself', async () => {
    await test.db.query("UPDATE contribution_requests SET status = 'approved' WHERE id = 'ctr_a'");
    expect(await contributionHistory(test.db, { id: 'ctr_b', requester: 'erin', upstreamKey: 'github.com/o/r' })).toEqual({
      upstreamApprovedContributions: 1,
      requesterUpstreamApprovedContributions: 1,
      requesterDecisions: { approved: 1, rejected: 0, changesRequested: 0, withdrawn: 0 },
    });
  });

  // Migration 0008: without statistics on `roles || escalated_roles` the planner guessed that 0.2%
  // of pending stages match a reviewer's roles and sorted them all instead of walking the queue's
  // index (README, "The review queue"). What it must learn from ANALYZE is which roles are common.
  it("gives ANALYZE the roles common among stages' reviewer roles (migration 0008)", async () => {
    const state = createContribution({ id: 'ctr_000000000000000000ff', requester: 'stats', tier: 'new-project', now: t0 });
    await insertContributions(test.db, [{ state, chainId: state.id, title: 'seed', input: {}, upstreamKey: null, pullRequest: null, createdAt: t0 }]);
    // Nine in ten of these pending stages wait for a manager, one in ten for the OSPO.
    await test.db.query(
      `INSERT INTO contribution_stages (request_id, idx, roles, approvals, due_in_working_days, rule, reason, status, started_at)
       SELECT $1, i, CASE WHEN i % 10 = 0 THEN ARRAY['ospo'] ELSE ARRAY['manager'] END, 1, 5, 'seed', 'seed', 'pending', now()
       FROM generate_series(0, 999) AS i`,
      [state.id],
    );
    await test.db.exec('ANALYZE contribution_stages');

    const { rows } = await test.db.query<{ elems: string[]; freqs: number[] }>(
      `SELECT most_common_elems::text::text[] AS elems, most_common_elem_freqs AS freqs FROM pg_stats_ext_exprs
       WHERE statistics_name = 'contribution_stages_reviewer_roles' AND statistics_schemaname = current_schema()`,
    );
    expect(rows).toHaveLength(1);
    const [stats] = rows;
    const elems = stats?.elems ?? [];
    const frequencyOf = (role: string): number => stats?.freqs[elems.indexOf(role)] ?? 0;
    expect(frequencyOf('manager')).toBeCloseTo(0.9, 1);
    expect(frequencyOf('ospo')).toBeCloseTo(0.1, 1);
  });
});
