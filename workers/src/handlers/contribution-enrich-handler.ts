import { handlerFor, jobCatalog } from '@clearance/queue';
import { enrichAndRouteContribution } from '@clearance/services';
import type { WorkerDependencies } from '../worker-dependencies.js';

/**
 * Reads GitHub about a new request and routes it. A transient GitHub error
 * is thrown for a retry with backoff, except on the last try: then the
 * request is routed with what could not be read marked as such, so it
 * reaches a person instead of waiting forever.
 */
export const contributionEnrichHandler = (deps: WorkerDependencies) =>
  handlerFor('contribution.enrich', async (payload, context) => {
    const finalAttempt = context.attempt >= jobCatalog['contribution.enrich'].attempts;
    const outcome = await enrichAndRouteContribution(deps, { requestId: payload.requestId, github: deps.github, finalAttempt });
    context.log.info({ requestId: payload.requestId, attempt: context.attempt, ...outcome }, 'contribution enrichment');
  });
