import type { ReviewerRole } from './policy-schema.js';
import type { ContributionState, StageState } from './state.js';

export type SlaEscalationResult =
  | { kind: 'escalated'; state: ContributionState; stage: StageState }
  | { kind: 'noop'; why: 'not-in-review' | 'stage-not-current' | 'not-due' | 'already-escalated' };

/**
 * What the delayed SLA job does at a stage's due time. It does nothing when
 * the stage was decided meanwhile (the job cannot be unscheduled reliably, so
 * it checks instead), when it fired early, or when it already escalated (a
 * retried job). Otherwise the policy's `sla.escalateTo` roles may now decide
 * the stage too; the caller notifies them and audits the escalation.
 */
export const escalateOverdueStage = (
  state: ContributionState,
  stageIndex: number,
  escalateTo: readonly ReviewerRole[],
  now: Date,
): SlaEscalationResult => {
  if (state.status !== 'in-review') return { kind: 'noop', why: 'not-in-review' };
  const stage = state.stages[stageIndex];
  if (stage === undefined || state.currentStage !== stageIndex || stage.status !== 'pending') {
    return { kind: 'noop', why: 'stage-not-current' };
  }
  if (stage.dueAt === null || now.getTime() < stage.dueAt.getTime()) return { kind: 'noop', why: 'not-due' };
  if (stage.escalatedAt !== null) return { kind: 'noop', why: 'already-escalated' };
  const escalated: StageState = {
    ...stage,
    escalatedRoles: escalateTo.filter((role) => !stage.roles.includes(role)),
    escalatedAt: now,
  };
  const stages = state.stages.map((entry) => (entry.index === stageIndex ? escalated : entry));
  return { kind: 'escalated', state: { ...state, stages, version: state.version + 1, updatedAt: now }, stage: escalated };
};
