import { AppError } from '@clearance/core';
import { appendAuditEvent, findEmailOptOut, listDeliveries, reopenFailedDelivery, upsertEmailOptOut, type Database, type DeliveryRow } from '@clearance/db';
import type { PolicyContext } from '../policy-context.js';
import { queueDeliveries } from './notification-planning.js';

export interface NotificationAdminDeps {
  db: Database;
  policy: PolicyContext;
}

/** Deliveries that failed after every try, newest first: the admin page's list. */
export const listFailedDeliveries = (deps: { db: Database }, limit = 200): Promise<DeliveryRow[]> => listDeliveries(deps.db, { state: 'failed' }, limit);

/** An admin sends a failed delivery again: a new round of tries, audited. */
export async function retryFailedDelivery(deps: NotificationAdminDeps, input: { id: string; by: string }): Promise<DeliveryRow> {
  return deps.db.transaction(async (tx) => {
    const reopened = await reopenFailedDelivery(tx, input.id);
    if (reopened === null) throw new AppError('not_found', `no failed delivery ${input.id}`);
    await appendAuditEvent(tx, {
      actor: input.by,
      subjectType: 'notification',
      subjectId: input.id,
      payload: { type: 'notification.retried', deliveryId: input.id, by: input.by },
      policyVersion: deps.policy.version,
    });
    await queueDeliveries(tx, [reopened]);
    return reopened;
  });
}

export const notificationPreferencesOf = async (deps: { db: Database }, user: string): Promise<{ user: string; emailOptOut: boolean }> => ({
  user,
  emailOptOut: await findEmailOptOut(deps.db, user),
});

/** A person turns email notices off or on for themselves; the choice is audited. */
export async function setEmailOptOut(deps: NotificationAdminDeps, input: { user: string; emailOptOut: boolean }): Promise<{ user: string; emailOptOut: boolean }> {
  await deps.db.transaction(async (tx) => {
    await upsertEmailOptOut(tx, input.user, input.emailOptOut);
    await appendAuditEvent(tx, {
      actor: input.user,
      subjectType: 'user',
      subjectId: input.user,
      payload: { type: 'notification.preferences-changed', user: input.user, emailOptOut: input.emailOptOut },
      policyVersion: deps.policy.version,
    });
  });
  return { user: input.user, emailOptOut: input.emailOptOut };
}
