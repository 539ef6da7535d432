import { handlerFor } from '@clearance/queue';
import { overdueNoticeFor, postNotice } from '@clearance/services';
import type { WorkerDependencies } from '../worker-dependencies.js';

/** Sends an overdue stage's notice to CLEARANCE_NOTIFY_WEBHOOK_URL; retried with backoff until the webhook takes it. */
export const contributionOverdueNoticeHandler = (deps: WorkerDependencies) =>
  handlerFor('contribution.overdue-notice', async (payload, context) => {
    if (deps.notifyWebhookUrl === null) {
      context.log.info(payload, 'overdue stage: no CLEARANCE_NOTIFY_WEBHOOK_URL, so the review queue alone shows it');
      return;
    }
    const notice = await overdueNoticeFor(deps.db, payload);
    if (notice === null) {
      context.log.info(payload, 'overdue notice not sent: the stage was decided meanwhile');
      return;
    }
    await postNotice(deps.notifyWebhookUrl, notice);
    context.log.info(payload, 'overdue notice sent');
  });
