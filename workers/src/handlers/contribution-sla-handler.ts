import { handlerFor } from '@clearance/queue';
import { escalateOverdueContributionStage } from '@clearance/services';
import type { WorkerDependencies } from '../worker-dependencies.js';

/** Fires at a stage's due time and escalates it when it is still undecided. */
export const contributionSlaHandler = (deps: WorkerDependencies) =>
  handlerFor('contribution.sla', async (payload, context) => {
    const outcome = await escalateOverdueContributionStage(deps, payload);
    // A delayed job can fire a little early (clock skew between hosts): retrying
    // with backoff lets it escalate once the due time has really passed.
    if (outcome === 'not-due') throw new Error(`stage ${payload.stageIndex} of ${payload.requestId} is not due yet`);
    context.log.info({ ...payload, outcome }, 'contribution SLA check');
  });
