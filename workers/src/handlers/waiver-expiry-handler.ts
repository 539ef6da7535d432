import { handlerFor } from '@clearance/queue';
import { emitWaiverExpiryNotices, recordWaiverExpiries } from '@clearance/services';
import type { WorkerDependencies } from '../worker-dependencies.js';

/** Turns each passed expiry into its `waiver.expired` audit event, once; and tells of waivers nearing expiry, once per threshold. */
export const waiverExpiryHandler = (deps: WorkerDependencies) =>
  handlerFor('waiver.expiry-sweep', async (_payload, context) => {
    const recorded = await recordWaiverExpiries(deps);
    if (recorded > 0) context.log.info({ recorded }, 'waiver expiries recorded');
    const notices = await emitWaiverExpiryNotices({ db: deps.db, routing: deps.notifications.routing });
    if (notices > 0) {
      deps.nudgeRelay();
      context.log.info({ notices }, 'waiver expiry notices planned');
    }
  });
