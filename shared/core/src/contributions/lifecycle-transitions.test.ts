import { describe, expect, it } from 'vitest';
import type { Principal, Role } from '../auth/roles.js';
import { decide } from './decide.js';
import { detectDrift } from './drift.js';
import { applyRoutingPlan, createContribution } from './lifecycle.js';
import { contributionPolicySchema } from './policy-schema.js';
import type { ContributionPolicyInput } from './policy-schema.js';
import { checkResubmission } from './resubmit.js';
import { escalateOverdueStage } from './sla-escalation.js';
import type { ContributionState } from './state.js';
import { withdraw } from './withdraw.js';

const t0 = new Date('2025-06-02T09:00:00Z'); // a Monday
const person = (user: string, ...roles: Role[]): Principal => ({ user, roles, tokenId: `tok-${user}` });
const alice = person('alice', 'requester');
const mona = person('mona', 'manager');
const olga = person('olga', 'ospo');

const inReview = (): ContributionState => {
  const routed = applyRoutingPlan(
    createContribution({ id: 'req-1', requester: 'alice', tier: 'enhancement', now: t0 }),
    {
      kind: 'stages',
      stages: [{ index: 0, roles: ['manager'], approvals: 1, dueInWorkingDays: 2, rule: 'tier-stages', reason: 'manager' }],
      effectiveTier: 'enhancement',
      linesChanged: 5,
      explanation: [],
    },
    t0,
  );
  if (!routed.ok) throw new Error('refused');
  return routed.state;
};

describe('withdraw', () => {
  it('lets the requester withdraw an open request', () => {
    const result = withdraw(inReview(), alice, t0);
    expect(result.ok && result.state.status).toBe('withdrawn');
    expect(result.ok && result.state.stages[0]?.status).toBe('skipped');
  });

  it('refuses others and final requests', () => {
    const other = withdraw(inReview(), mona, t0);
    expect(other.ok ? null : other.refusal.reason).toBe('not-requester');
    const done = withdraw(inReview(), alice, t0);
    if (!done.ok) throw new Error('refused');
    const again = withdraw(done.state, alice, t0);
    expect(again.ok ? null : [again.refusal.code, again.refusal.reason]).toEqual(['conflict', 'final']);
    const decision = decide(done.state, mona, { decision: 'approve' }, t0);
    expect(decision.ok ? null : [decision.refusal.code, decision.refusal.reason]).toEqual(['conflict', 'final']);
  });
});

describe('resubmission', () => {
  const rejected = (): ContributionState => {
    const result = decide(inReview(), mona, { decision: 'reject', reason: 'Too broad' }, t0);
    if (!result.ok) throw new Error('refused');
    return result.state;
  };

  it('creates a new revision linked to the rejected one, which keeps its "no"', () => {
    const previous = rejected();
    const check = checkResubmission(previous, alice, { hasNewerRevision: false });
    if (!check.ok) throw new Error('refused');
    const next = createContribution({ id: 'req-2', requester: 'alice', tier: 'enhancement', now: t0, previous: check.previous });
    expect(next).toMatchObject({ id: 'req-2', revision: 2, previousRevisionId: 'req-1', status: 'submitted', decisions: [] });
    expect(previous.decisions[0]?.reason).toBe('Too broad');
  });

  it('is allowed after withdrawal and automatic rejection', () => {
    const withdrawn = withdraw(inReview(), alice, t0);
    expect(withdrawn.ok && checkResubmission(withdrawn.state, alice, { hasNewerRevision: false }).ok).toBe(true);
    const autoRejected = applyRoutingPlan(
      createContribution({ id: 'r', requester: 'alice', tier: 'bug-fix', now: t0 }),
      { kind: 'auto-rejected', rule: 'deny.archived', reason: 'archived', effectiveTier: 'bug-fix', linesChanged: 1, explanation: [] },
      t0,
    );
    expect(autoRejected.ok && checkResubmission(autoRejected.state, alice, { hasNewerRevision: false }).ok).toBe(true);
  });

  it('is refused for open or approved requests, for others, and for superseded revisions', () => {
    const open = checkResubmission(inReview(), alice, { hasNewerRevision: false });
    expect(open.ok ? null : [open.refusal.code, open.refusal.reason]).toEqual(['conflict', 'not-resubmittable']);
    const other = checkResubmission(rejected(), mona, { hasNewerRevision: false });
    expect(other.ok ? null : other.refusal.code).toBe('forbidden');
    const stale = checkResubmission(rejected(), alice, { hasNewerRevision: true });
    expect(stale.ok ? null : stale.refusal.reason).toBe('not-latest-revision');
  });
});

describe('escalateOverdueStage', () => {
  const due = new Date('2025-06-04T09:00:00Z');

  it('does nothing before the due time, after a decision, or twice', () => {
    const state = inReview();
    expect(state.stages[0]?.dueAt).toEqual(due);
    expect(escalateOverdueStage(state, 0, ['ospo'], new Date(due.getTime() - 1))).toEqual({ kind: 'noop', why: 'not-due' });
    const decided = decide(state, mona, { decision: 'approve' }, t0);
    if (!decided.ok) throw new Error('refused');
    expect(escalateOverdueStage(decided.state, 0, ['ospo'], due)).toEqual({ kind: 'noop', why: 'not-in-review' });
    const once = escalateOverdueStage(state, 0, ['ospo'], due);
    if (once.kind !== 'escalated') throw new Error('not escalated');
    expect(escalateOverdueStage(once.state, 0, ['ospo'], due)).toEqual({ kind: 'noop', why: 'already-escalated' });
    expect(escalateOverdueStage(state, 1, ['ospo'], due)).toEqual({ kind: 'noop', why: 'stage-not-current' });
  });

  it('lets the escalation roles decide the overdue stage', () => {
    const state = inReview();
    expect(decide(state, olga, { decision: 'approve' }, due).ok).toBe(false);
    const escalated = escalateOverdueStage(state, 0, ['ospo'], due);
    if (escalated.kind !== 'escalated') throw new Error('not escalated');
    expect(escalated.stage.escalatedRoles).toEqual(['ospo']);
    expect(escalated.stage.escalatedAt).toEqual(due);
    const decided = decide(escalated.state, olga, { decision: 'approve' }, due);
    expect(decided.ok && decided.state.status).toBe('approved');
  });
});

describe('detectDrift', () => {
  const policy = contributionPolicySchema.parse({
    version: 1,
    tiers: {
      'bug-fix': { stages: [{ roles: ['manager'], slaWorkingDays: 1 }], maxLinesChanged: 100 },
      enhancement: { stages: [{ roles: ['manager'], slaWorkingDays: 1 }], maxLinesChanged: 500 },
      'new-feature': { stages: [{ roles: ['manager'], slaWorkingDays: 1 }], maxLinesChanged: 5000 },
      'new-project': { stages: [{ roles: ['manager'], slaWorkingDays: 1 }], maxLinesChanged: null },
    },
    autoApprove: { tiers: ['bug-fix'], licenseCategories: ['permissive'], requireAgreement: false },
    trustLadder: { roles: ['ospo'], slaWorkingDays: 1, reason: 'r', minApprovedContributions: 1, per: 'upstream' },
    deny: {
      notFound: { reason: 'r' },
      archived: { reason: 'r' },
      noLicense: { reason: 'r' },
      licenses: { reason: 'r', categories: [], ids: [] },
      outboundLicense: { reason: 'r', allowed: ['MIT'] },
    },
    escalations: {
      coreIp: { roles: ['legal'], slaWorkingDays: 1, reason: 'r' },
      patentRelevant: { roles: ['legal'], slaWorkingDays: 1, reason: 'r' },
      securityFix: { roles: ['security'], slaWorkingDays: 1, reason: 'r' },
      unapprovedCla: { roles: ['legal'], slaWorkingDays: 1, reason: 'r' },
      unrecognizedLicense: { roles: ['legal'], slaWorkingDays: 1, reason: 'r' },
      missingEnrichment: { roles: ['ospo'], slaWorkingDays: 1, reason: 'r' },
    },
    cla: { preApproved: [], dcoAccepted: true },
    sla: { escalateTo: ['ospo'] },
  } satisfies ContributionPolicyInput);
  const pr = { additions: 90, deletions: 20, changedFiles: 3, merged: true, state: 'closed' as const, mergedAt: '2025-06-01T00:00:00Z' };

  it('flags a merged pull request larger than its approved tier allows', () => {
    expect(detectDrift('bug-fix', pr, policy)).toEqual({
      approvedTier: 'bug-fix',
      allowedLines: 100,
      actualLines: 110,
      detail: 'The merged pull request changed 110 lines; the approved tier bug-fix allows 100',
    });
  });

  it('ignores open pull requests, changes within the limit and unlimited tiers', () => {
    expect(detectDrift('bug-fix', { ...pr, merged: false, state: 'open', mergedAt: null }, policy)).toBeNull();
    expect(detectDrift('enhancement', pr, policy)).toBeNull();
    expect(detectDrift('new-project', { ...pr, additions: 1e6 }, policy)).toBeNull();
  });
});
