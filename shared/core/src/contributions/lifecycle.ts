import { refuse } from './refusal.js';
import type { ContributionTransition } from './refusal.js';
import type { RoutingPlan } from './routing-plan.js';
import type { ContributionState, StageState } from './state.js';
import type { ContributionTier } from './tier.js';
import { addWorkingDays } from './working-days.js';

export interface NewContribution {
  id: string;
  requester: string;
  tier: ContributionTier;
  now: Date;
  /** Set for a resubmission (see checkResubmission). */
  previous?: { id: string; revision: number };
}

export const createContribution = (input: NewContribution): ContributionState => ({
  id: input.id,
  revision: input.previous === undefined ? 1 : input.previous.revision + 1,
  previousRevisionId: input.previous?.id ?? null,
  requester: input.requester,
  tier: input.tier,
  status: 'submitted',
  currentStage: null,
  stages: [],
  decisions: [],
  autoOutcome: null,
  version: 0,
  updatedAt: input.now,
});

/** The enrich job may run more than once (retries): starting again is not an error. */
export const startEnrichment = (state: ContributionState, now: Date): ContributionTransition => {
  if (state.status === 'enriching') return { ok: true, state };
  if (state.status !== 'submitted') {
    return refuse('conflict', 'already-routed', `Request ${state.id} is ${state.status}; it is not waiting for enrichment`);
  }
  return { ok: true, state: { ...state, status: 'enriching', version: state.version + 1, updatedAt: now } };
};

/** Starts a stage: its SLA clock runs from now. */
export const startStage = (stage: StageState, now: Date): StageState => ({
  ...stage,
  status: 'pending',
  startedAt: now,
  dueAt: addWorkingDays(now, stage.dueInWorkingDays),
});

/**
 * Turns a routing plan into the request's state. Refused once a plan was
 * applied, so a retried enrich job cannot route a request twice.
 * `startedStage` is the stage whose due time the SLA job must be scheduled at.
 */
export const applyRoutingPlan = (
  state: ContributionState,
  plan: RoutingPlan,
  now: Date,
): ContributionTransition<{ startedStage: StageState | null }> => {
  if (state.status !== 'submitted' && state.status !== 'enriching') {
    return refuse('conflict', 'already-routed', `Request ${state.id} is ${state.status}; it was already routed`);
  }
  const base = { ...state, version: state.version + 1, updatedAt: now };
  switch (plan.kind) {
    case 'auto-approved':
      return { ok: true, state: { ...base, status: 'auto-approved', autoOutcome: { rule: plan.rule, reason: null } }, startedStage: null };
    case 'auto-rejected':
      return {
        ok: true,
        state: { ...base, status: 'auto-rejected', autoOutcome: { rule: plan.rule, reason: plan.reason } },
        startedStage: null,
      };
    case 'stages': {
      const stages = plan.stages.map(
        (stage): StageState => ({
          index: stage.index,
          roles: [...stage.roles],
          escalatedRoles: [],
          approvals: stage.approvals,
          dueInWorkingDays: stage.dueInWorkingDays,
          rule: stage.rule,
          reason: stage.reason,
          status: 'waiting',
          startedAt: null,
          dueAt: null,
          escalatedAt: null,
        }),
      );
      const [first, ...rest] = stages;
      if (first === undefined) throw new Error('a stages plan has at least one stage');
      const started = startStage(first, now);
      return { ok: true, state: { ...base, status: 'in-review', currentStage: 0, stages: [started, ...rest] }, startedStage: started };
    }
  }
};
