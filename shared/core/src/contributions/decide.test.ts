import { describe, expect, it } from 'vitest';
import type { Principal, Role } from '../auth/roles.js';
import { AppError } from '../errors/app-error.js';
import { decide } from './decide.js';
import type { DecideResult } from './decide.js';
import { applyRoutingPlan, createContribution, startEnrichment } from './lifecycle.js';
import { contributionRefusalError } from './refusal.js';
import type { PlannedStage, RoutingPlan } from './routing-plan.js';
import { contributionStateSchema } from './state.js';
import type { ContributionState } from './state.js';

const t0 = new Date('2025-06-06T09:00:00Z'); // a Friday
const later = (minutes: number): Date => new Date(t0.getTime() + minutes * 60_000);
const person = (user: string, ...roles: Role[]): Principal => ({ user, roles, tokenId: `tok-${user}` });

const alice = person('alice', 'requester', 'manager');
const mona = person('mona', 'manager');
const max = person('max', 'manager');
const olga = person('olga', 'ospo');
const lena = person('lena', 'legal');
const both = person('bo', 'manager', 'ospo');

const stage = (index: number, roles: PlannedStage['roles'], approvals = 1, dueInWorkingDays = 2): PlannedStage => ({
  index,
  roles,
  approvals,
  dueInWorkingDays,
  rule: 'tier-stages',
  reason: `stage ${index + 1}`,
});

const plan = (...stages: PlannedStage[]): RoutingPlan => ({
  kind: 'stages',
  stages,
  effectiveTier: 'new-feature',
  linesChanged: 10,
  explanation: [],
});

const inReview = (...stages: PlannedStage[]): ContributionState => {
  const created = createContribution({ id: 'req-1', requester: 'alice', tier: 'new-feature', now: t0 });
  const enriching = startEnrichment(created, t0);
  if (!enriching.ok) throw new Error('enrichment refused');
  const routed = applyRoutingPlan(enriching.state, plan(...stages), t0);
  if (!routed.ok) throw new Error('routing refused');
  return routed.state;
};

const ok = (result: DecideResult): Extract<DecideResult, { ok: true }> => {
  if (!result.ok) throw new Error(`refused: ${result.refusal.reason}`);
  return result;
};

const refusalOf = (result: DecideResult): [string, string] | null => (result.ok ? null : [result.refusal.code, result.refusal.reason]);

describe('lifecycle before review', () => {
  it('moves submitted → enriching → in-review and starts the first stage clock', () => {
    const state = inReview(stage(0, ['manager'], 1, 1), stage(1, ['ospo']));
    expect(state.status).toBe('in-review');
    expect(state.currentStage).toBe(0);
    expect(state.stages.map((entry) => entry.status)).toEqual(['pending', 'waiting']);
    // Friday 09:00 + 1 working day = Monday 09:00.
    expect(state.stages[0]?.dueAt?.toISOString()).toBe('2025-06-09T09:00:00.000Z');
    expect(state.stages[1]?.dueAt).toBeNull();
    expect(state.version).toBe(2);
  });

  it('records automatic outcomes and refuses to route twice', () => {
    const created = createContribution({ id: 'r', requester: 'alice', tier: 'bug-fix', now: t0 });
    const approved = applyRoutingPlan(created, { kind: 'auto-approved', rule: 'auto-approve', effectiveTier: 'bug-fix', linesChanged: 1, explanation: [] }, t0);
    expect(approved.ok && approved.state.status).toBe('auto-approved');
    expect(approved.ok && approved.state.autoOutcome).toEqual({ rule: 'auto-approve', reason: null });
    const rejected = applyRoutingPlan(
      created,
      { kind: 'auto-rejected', rule: 'deny.archived', reason: 'archived', effectiveTier: 'bug-fix', linesChanged: 1, explanation: [] },
      t0,
    );
    expect(rejected.ok && rejected.state.autoOutcome).toEqual({ rule: 'deny.archived', reason: 'archived' });
    if (!approved.ok) return;
    const again = applyRoutingPlan(approved.state, plan(stage(0, ['manager'])), t0);
    expect(again.ok ? null : again.refusal).toMatchObject({ code: 'conflict', reason: 'already-routed' });
    expect(startEnrichment(approved.state, t0).ok).toBe(false);
  });

  it('lets a retried enrich job start enrichment again', () => {
    const created = createContribution({ id: 'r', requester: 'alice', tier: 'bug-fix', now: t0 });
    const first = startEnrichment(created, t0);
    expect(first.ok && startEnrichment(first.state, t0).ok).toBe(true);
  });

  it('refuses decisions before routing', () => {
    const created = createContribution({ id: 'r', requester: 'alice', tier: 'bug-fix', now: t0 });
    expect(refusalOf(decide(created, mona, { decision: 'approve' }, t0))).toEqual(['conflict', 'not-in-review']);
  });
});

describe('decide', () => {
  it('walks the stages in order to approved, starting each stage clock when it begins', () => {
    const first = ok(decide(inReview(stage(0, ['manager']), stage(1, ['ospo'], 1, 3)), mona, { decision: 'approve' }, later(60)));
    expect(first.outcome).toBe('stage-approved');
    expect(first.state.currentStage).toBe(1);
    expect(first.startedStage?.startedAt?.toISOString()).toBe('2025-06-06T10:00:00.000Z');
    expect(first.startedStage?.dueAt?.toISOString()).toBe('2025-06-11T10:00:00.000Z');
    const second = ok(decide(first.state, olga, { decision: 'approve', reason: '  fine  ', stageIndex: 1 }, later(120)));
    expect(second.outcome).toBe('approved');
    expect(second.state.status).toBe('approved');
    expect(second.state.currentStage).toBeNull();
    expect(second.state.stages.map((entry) => entry.status)).toEqual(['approved', 'approved']);
    expect(second.state.decisions).toEqual([
      { stageIndex: 0, decision: 'approve', by: 'mona', asRoles: ['manager'], reason: null, at: later(60) },
      { stageIndex: 1, decision: 'approve', by: 'olga', asRoles: ['ospo'], reason: 'fine', at: later(120) },
    ]);
    expect(second.state.version).toBe(4);
    expect(contributionStateSchema.parse(JSON.parse(JSON.stringify(second.state)))).toEqual(second.state);
  });

  it('needs as many distinct people as the stage asks for', () => {
    const state = inReview(stage(0, ['manager'], 2));
    const one = ok(decide(state, mona, { decision: 'approve' }, t0));
    expect(one.outcome).toBe('approval-recorded');
    expect(one.state.status).toBe('in-review');
    expect(refusalOf(decide(one.state, mona, { decision: 'approve' }, t0))).toEqual(['conflict', 'already-signed']);
    const two = ok(decide(one.state, max, { decision: 'approve' }, t0));
    expect(two.outcome).toBe('approved');
  });

  it('ends the request on a rejection with its reason and skips the later stages', () => {
    const result = ok(decide(inReview(stage(0, ['manager']), stage(1, ['ospo'])), mona, { decision: 'reject', reason: 'Competes with our product' }, t0));
    expect(result.outcome).toBe('rejected');
    expect(result.state.status).toBe('rejected');
    expect(result.state.stages.map((entry) => entry.status)).toEqual(['rejected', 'skipped']);
    expect(result.decision.reason).toBe('Competes with our product');
  });

  it('ends the request on a change request', () => {
    const result = ok(decide(inReview(stage(0, ['manager'])), mona, { decision: 'request-changes', reason: 'Split it' }, t0));
    expect(result.state.status).toBe('changes-requested');
    expect(result.state.stages[0]?.status).toBe('changes-requested');
  });

  it('never lets people decide their own request', () => {
    expect(refusalOf(decide(inReview(stage(0, ['manager'])), alice, { decision: 'approve' }, t0))).toEqual(['forbidden', 'own-request']);
  });

  it('never lets one person sign two stages', () => {
    const first = ok(decide(inReview(stage(0, ['manager']), stage(1, ['ospo'])), both, { decision: 'approve' }, t0));
    const second = decide(first.state, both, { decision: 'approve' }, t0);
    expect(refusalOf(second)).toEqual(['forbidden', 'signed-other-stage']);
    expect(second.ok ? '' : second.refusal.message).toBe('You already signed stage 1; one person cannot sign two stages of a request');
  });

  it('lets only holders of the stage roles decide it', () => {
    const result = decide(inReview(stage(0, ['manager', 'ospo'])), lena, { decision: 'approve' }, t0);
    expect(refusalOf(result)).toEqual(['forbidden', 'role-not-held']);
    expect(result.ok ? '' : result.refusal.message).toBe('Stage 1 is decided by manager or ospo');
    expect(ok(decide(inReview(stage(0, ['manager', 'ospo'])), olga, { decision: 'approve' }, t0)).decision.asRoles).toEqual(['ospo']);
  });

  it('keeps stages in order and refuses a decision on a stage someone else already decided', () => {
    const state = inReview(stage(0, ['manager']), stage(1, ['ospo']));
    expect(refusalOf(decide(state, olga, { decision: 'approve', stageIndex: 1 }, t0))).toEqual(['conflict', 'stage-not-current']);
    // Two managers saw stage 1; the first one wins, the second gets a conflict, not a second decision.
    const winner = ok(decide(state, mona, { decision: 'approve', stageIndex: 0 }, t0));
    const loser = decide(winner.state, max, { decision: 'reject', reason: 'no', stageIndex: 0 }, t0);
    expect(refusalOf(loser)).toEqual(['conflict', 'stage-not-current']);
    expect(loser.ok ? '' : loser.refusal.message).toBe('Stage 1 was already decided; the request is now at stage 2');
  });

  it.each(['reject', 'request-changes'] as const)('requires a reason to %s', (decision) => {
    const state = inReview(stage(0, ['manager']));
    expect(refusalOf(decide(state, mona, { decision }, t0))).toEqual(['validation_failed', 'reason-required']);
    expect(refusalOf(decide(state, mona, { decision, reason: '   ' }, t0))).toEqual(['validation_failed', 'reason-required']);
    expect(refusalOf(decide(state, mona, { decision, reason: 'x'.repeat(10_001) }, t0))).toEqual(['validation_failed', 'reason-too-long']);
  });

  it('refuses decisions on final requests', () => {
    const rejected = ok(decide(inReview(stage(0, ['manager'])), mona, { decision: 'reject', reason: 'no' }, t0)).state;
    expect(refusalOf(decide(rejected, max, { decision: 'approve' }, t0))).toEqual(['conflict', 'final']);
  });

  it('never edits earlier decisions or the state it was given', () => {
    const state = inReview(stage(0, ['manager'], 2), stage(1, ['ospo']));
    const snapshot = JSON.stringify(state);
    const one = ok(decide(state, mona, { decision: 'approve' }, t0));
    const oneSnapshot = JSON.stringify(one.state);
    const two = ok(decide(one.state, max, { decision: 'approve' }, later(5)));
    expect(JSON.stringify(state)).toBe(snapshot);
    expect(JSON.stringify(one.state)).toBe(oneSnapshot);
    expect(two.state.decisions.slice(0, 1)).toEqual(one.state.decisions);
  });

  it('converts a refusal into the one error type', () => {
    const result = decide(inReview(stage(0, ['manager'])), alice, { decision: 'approve' }, t0);
    if (result.ok) throw new Error('expected a refusal');
    const error = contributionRefusalError(result.refusal);
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe('forbidden');
    expect(error.details).toEqual({ reason: 'own-request' });
  });
});
