import type { Principal } from '../auth/roles.js';
import { refuse } from './refusal.js';
import type { ContributionTransition } from './refusal.js';
import { isOpenStatus } from './state.js';
import type { ContributionState } from './state.js';

/** The requester takes back an open request. Decisions already made stay as they are. */
export const withdraw = (state: ContributionState, principal: Principal, now: Date): ContributionTransition => {
  if (principal.user !== state.requester) {
    return refuse('forbidden', 'not-requester', 'Only the requester can withdraw a request');
  }
  if (!isOpenStatus(state.status)) {
    return refuse('conflict', 'final', `Request ${state.id} is ${state.status}; it can no longer be withdrawn`);
  }
  const stages = state.stages.map((stage) =>
    stage.status === 'pending' || stage.status === 'waiting' ? { ...stage, status: 'skipped' as const } : stage,
  );
  return {
    ok: true,
    state: { ...state, status: 'withdrawn', currentStage: null, stages, version: state.version + 1, updatedAt: now },
  };
};
