import type { Principal, Role } from '../auth/roles.js';
import { startStage } from './lifecycle.js';
import { refuse } from './refusal.js';
import type { ContributionTransition } from './refusal.js';
import { eligibleRoles, isOpenStatus } from './state.js';
import type { ContributionState, DecisionKind, DecisionRecord, StageState } from './state.js';

export const DECISION_REASON_MAX = 10_000;

export interface DecisionInput {
  decision: DecisionKind;
  /** Required for reject and request-changes: it is what the requester reads. */
  reason?: string | null;
  /**
   * The stage the reviewer saw when deciding. When given and no longer
   * current (someone decided it meanwhile), the decision is refused instead
   * of landing on a stage the reviewer never looked at.
   */
  stageIndex?: number;
}

/** What a decision did: the service turns it into the audit event and the next jobs. */
export type DecisionOutcome = 'approval-recorded' | 'stage-approved' | 'approved' | 'rejected' | 'changes-requested';

export type DecideResult = ContributionTransition<{ decision: DecisionRecord; outcome: DecisionOutcome; startedStage: StageState | null }>;

const endStages = (stages: readonly StageState[], current: number, status: StageState['status']): StageState[] =>
  stages.map((stage) => {
    if (stage.index === current) return { ...stage, status };
    return stage.index > current ? { ...stage, status: 'skipped' } : stage;
  });

/**
 * Records one reviewer's decision on the current stage, or refuses it.
 * Checks, in order: the request is open and in review (conflict); the
 * reviewer is not the requester (forbidden); the stage is the one the
 * reviewer saw (conflict: a racing reviewer decided it first, or stages go
 * in order); the reviewer has not signed another stage and holds a role of
 * this one (forbidden) and has not already decided it (conflict); a "no"
 * carries a reason (validation_failed). Never changes an existing decision:
 * the new one is appended.
 */
export const decide = (state: ContributionState, principal: Principal, input: DecisionInput, now: Date): DecideResult => {
  if (!isOpenStatus(state.status)) {
    return refuse('conflict', 'final', `Request ${state.id} is ${state.status}; its decisions are final`);
  }
  const stage = state.currentStage === null ? undefined : state.stages[state.currentStage];
  if (state.status !== 'in-review' || stage === undefined) {
    return refuse('conflict', 'not-in-review', `Request ${state.id} is ${state.status}; it has no stage to decide yet`);
  }
  if (principal.user === state.requester) {
    return refuse('forbidden', 'own-request', 'Nobody decides their own request');
  }
  if (input.stageIndex !== undefined && input.stageIndex !== stage.index) {
    const message =
      input.stageIndex < stage.index
        ? `Stage ${input.stageIndex + 1} was already decided; the request is now at stage ${stage.index + 1}`
        : `Stages go in order: stage ${input.stageIndex + 1} waits for stage ${stage.index + 1}`;
    return refuse('conflict', 'stage-not-current', message);
  }
  const earlier = state.decisions.find((decision) => decision.by === principal.user && decision.stageIndex !== stage.index);
  if (earlier !== undefined) {
    return refuse('forbidden', 'signed-other-stage', `You already signed stage ${earlier.stageIndex + 1}; one person cannot sign two stages of a request`);
  }
  const allowed = eligibleRoles(stage);
  const asRoles: Role[] = principal.roles.filter((role) => (allowed as readonly Role[]).includes(role));
  if (asRoles.length === 0) {
    return refuse('forbidden', 'role-not-held', `Stage ${stage.index + 1} is decided by ${allowed.join(' or ')}`);
  }
  if (state.decisions.some((decision) => decision.by === principal.user && decision.stageIndex === stage.index)) {
    return refuse('conflict', 'already-signed', `You already decided stage ${stage.index + 1}`);
  }
  const reason = input.reason?.trim() ?? '';
  if (input.decision !== 'approve' && reason === '') {
    const what = input.decision === 'reject' ? 'A rejection' : 'A change request';
    return refuse('validation_failed', 'reason-required', `${what} needs a reason: the requester reads it`);
  }
  if (reason.length > DECISION_REASON_MAX) {
    return refuse('validation_failed', 'reason-too-long', `The reason must be at most ${DECISION_REASON_MAX} characters`);
  }

  const decision: DecisionRecord = {
    stageIndex: stage.index,
    decision: input.decision,
    by: principal.user,
    asRoles,
    reason: reason === '' ? null : reason,
    at: now,
  };
  const decisions = [...state.decisions, decision];
  const base = { ...state, decisions, version: state.version + 1, updatedAt: now };

  if (input.decision === 'reject') {
    const next: ContributionState = { ...base, status: 'rejected', currentStage: null, stages: endStages(state.stages, stage.index, 'rejected') };
    return { ok: true, state: next, decision, outcome: 'rejected', startedStage: null };
  }
  if (input.decision === 'request-changes') {
    const next: ContributionState = {
      ...base,
      status: 'changes-requested',
      currentStage: null,
      stages: endStages(state.stages, stage.index, 'changes-requested'),
    };
    return { ok: true, state: next, decision, outcome: 'changes-requested', startedStage: null };
  }

  const approvals = decisions.filter((entry) => entry.stageIndex === stage.index && entry.decision === 'approve').length;
  if (approvals < stage.approvals) {
    return { ok: true, state: base, decision, outcome: 'approval-recorded', startedStage: null };
  }
  const following = state.stages[stage.index + 1];
  if (following === undefined) {
    const stages = state.stages.map((entry) => (entry.index === stage.index ? { ...entry, status: 'approved' as const } : entry));
    return { ok: true, state: { ...base, status: 'approved', currentStage: null, stages }, decision, outcome: 'approved', startedStage: null };
  }
  const started = startStage(following, now);
  const stages = state.stages.map((entry) => {
    if (entry.index === stage.index) return { ...entry, status: 'approved' as const };
    return entry.index === started.index ? started : entry;
  });
  return {
    ok: true,
    state: { ...base, currentStage: started.index, stages },
    decision,
    outcome: 'stage-approved',
    startedStage: started,
  };
};
