import { handlerFor } from '@clearance/queue';
import { recordWaiverExpiries } from '@clearance/services';
import type { WorkerDependencies } from '../worker-dependencies.js';

/** Turns each passed expiry into its `waiver.expired` audit event, once. */
export const waiverExpiryHandler = (deps: WorkerDependencies) =>
  handlerFor('waiver.expiry-sweep', async (_payload, context) => {
    const recorded = await recordWaiverExpiries(deps);
    if (recorded > 0) context.log.info({ recorded }, 'waiver expiries recorded');
  });
