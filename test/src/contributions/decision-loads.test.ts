import { applyRoutingPlan, createContribution, type ContributionState, type RoutingPlan } from '@clearance/core';
import { contributionsInsert, findContribution, saveContributionState, unnestInsert, type Database, type Queryable } from '@clearance/db';
import { loadDefaultPolicy } from '@clearance/policy';
import { decideContribution, type PolicyContext } from '@clearance/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestPostgres, type TestDatabase } from '../support/test-database.js';

const t0 = new Date('2025-06-02T09:00:00Z');
const plan: RoutingPlan = {
  kind: 'stages',
  stages: [
    { index: 0, roles: ['manager'], approvals: 1, dueInWorkingDays: 2, rule: 'tier-stages', reason: 'Manager sign-off' },
    { index: 1, roles: ['ospo'], approvals: 1, dueInWorkingDays: 3, rule: 'trust-ladder', reason: 'First contribution' },
  ],
  effectiveTier: 'enhancement',
  linesChanged: 10,
  explanation: [],
};

/** The real database, with every statement it is sent written down (nothing is answered on its behalf). */
function recording(db: Database): { db: Database; statements: string[] } {
  const statements: string[] = [];
  const wrap = (target: Queryable): Queryable => ({
    query: (sql, params) => {
      statements.push(sql);
      return target.query(sql, params);
    },
    exec: (sql) => target.exec(sql),
  });
  return {
    statements,
    db: { ...wrap(db), kind: db.kind, transaction: (work) => db.transaction((tx) => work(wrap(tx))), listen: (channel, onNotify) => db.listen(channel, onNotify), close: () => db.close() },
  };
}

const loadsOfRequest = (statements: readonly string[]): string[] => statements.filter((sql) => /^SELECT \* FROM contribution_requests\b/.test(sql));

describe('one decision loads its request once (real PostgreSQL)', () => {
  let test: TestDatabase;
  let policy: PolicyContext;

  beforeAll(async () => {
    test = await openTestPostgres('dl');
    const loaded = await loadDefaultPolicy();
    policy = { version: loaded.version, licenses: loaded.licenses, contributions: loaded.contributions, obligations: loaded.obligations };
  });
  afterAll(async () => {
    await test.close();
  });

  const stored = async (id: string): Promise<ContributionState> => {
    const state = createContribution({ id, requester: 'erin', tier: 'enhancement', now: t0 });
    await test.db.transaction(async (tx) => {
      const statement = unnestInsert(contributionsInsert([{ state, chainId: id, title: 'T', input: { tier: 'enhancement' }, upstreamKey: 'github.com/o/r', pullRequest: null, createdAt: t0 }]));
      await tx.query(statement.text, statement.values);
    });
    const routed = applyRoutingPlan(state, plan, t0);
    if (!routed.ok) throw new Error('routing refused');
    await test.db.transaction((tx) => saveContributionState(tx, state, routed.state));
    return routed.state;
  };

  it('with the stage named: one load, under the row lock; the answer equals the request read back', async () => {
    await stored('ctr_dl0000000000000001');
    const { db, statements } = recording(test.db);
    const result = await decideContribution({ db, policy }, {
      id: 'ctr_dl0000000000000001',
      principal: { user: 'mona', roles: ['manager'], tokenId: 'tok_mona' },
      decision: { decision: 'approve', reason: null, stageIndex: 0 },
    });
    expect(result.outcome).toBe('stage-approved');
    expect(loadsOfRequest(statements)).toEqual(['SELECT * FROM contribution_requests WHERE id = $1 FOR UPDATE']);
    expect(result.record).toEqual(await findContribution(test.db, 'ctr_dl0000000000000001'));
  });

  it('without a stage: one read of the current stage (the race guard) and the same one load; a final decision gets its decision time', async () => {
    await stored('ctr_dl0000000000000002');
    await decideContribution({ db: test.db, policy }, { id: 'ctr_dl0000000000000002', principal: { user: 'mona', roles: ['manager'], tokenId: 't1' }, decision: { decision: 'approve', reason: null } });
    const { db, statements } = recording(test.db);
    const result = await decideContribution({ db, policy }, {
      id: 'ctr_dl0000000000000002',
      principal: { user: 'olga', roles: ['ospo'], tokenId: 't2' },
      decision: { decision: 'approve', reason: null },
    });
    expect(result.outcome).toBe('approved');
    expect(statements.filter((sql) => sql.includes('FROM contribution_requests'))).toEqual([
      'SELECT current_stage FROM contribution_requests WHERE id = $1',
      'SELECT * FROM contribution_requests WHERE id = $1 FOR UPDATE',
    ]);
    const readBack = await findContribution(test.db, 'ctr_dl0000000000000002');
    expect(readBack?.decidedAt).toBeInstanceOf(Date);
    expect(result.record).toEqual(readBack);
  });
});
