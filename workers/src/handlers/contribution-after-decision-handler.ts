import { handlerFor } from '@clearance/queue';
import { actOnContributionDecision } from '@clearance/services';
import type { WorkerDependencies } from '../worker-dependencies.js';

/** Comments on the linked pull request and creates an approved new project's repository, per policy. */
export const contributionAfterDecisionHandler = (deps: WorkerDependencies) =>
  handlerFor('contribution.after-decision', async (payload, context) => {
    const actions = await actOnContributionDecision(deps, { requestId: payload.requestId, github: deps.github, org: deps.githubOrg });
    context.log.info({ requestId: payload.requestId, actions }, 'contribution follow-up on GitHub');
  });
