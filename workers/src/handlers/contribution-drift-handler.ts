import { handlerFor } from '@clearance/queue';
import { sweepContributionDrift } from '@clearance/services';
import type { WorkerDependencies } from '../worker-dependencies.js';

/** Periodically re-reads the pull requests of approved requests and flags merged ones that outgrew their tier. */
export const contributionDriftHandler = (deps: WorkerDependencies) =>
  handlerFor('contribution.drift', async (_payload, context) => {
    const sweep = await sweepContributionDrift(deps, { github: deps.github });
    if (sweep.checked > 0 || sweep.unreadable.length > 0) context.log.info({ ...sweep }, 'contribution drift sweep');
  });
