import { handlerFor, jobCatalog } from '@clearance/queue';
import { collectDailyDigests, deliverNotification, dispatchNotifications } from '@clearance/services';
import type { WorkerDependencies } from '../worker-dependencies.js';

/** Plans the notices of new audit events (every 2 s); the deliveries it queues go out through the outbox. */
export const notificationDispatchHandler = (deps: WorkerDependencies) =>
  handlerFor('notification.dispatch', async () => {
    const { deliveries } = await dispatchNotifications({ db: deps.db, routing: deps.notifications.routing });
    if (deliveries > 0) deps.nudgeRelay();
  });

/** One delivery; a failure throws so BullMQ retries with backoff, and the last one is recorded for admins. */
export const notificationDeliverHandler = (deps: WorkerDependencies) =>
  handlerFor('notification.deliver', async (payload, context) => {
    const finalAttempt = context.attempt >= jobCatalog['notification.deliver'].attempts;
    const outcome = await deliverNotification({ db: deps.db, policyVersion: deps.policy.version, send: deps.notifications.send }, { ...payload, finalAttempt });
    context.log.info({ deliveryId: payload.deliveryId, attempt: context.attempt, outcome }, 'notification delivery');
  });

/** The daily digest: each recipient's held notices in one message. */
export const notificationDigestHandler = (deps: WorkerDependencies) =>
  handlerFor('notification.digest', async (_payload, context) => {
    const collected = await collectDailyDigests({ db: deps.db });
    if (collected.digests > 0) {
      deps.nudgeRelay();
      context.log.info(collected, 'daily digests queued');
    }
  });
