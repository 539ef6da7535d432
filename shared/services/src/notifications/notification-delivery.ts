import { noticeSchema, type Notice } from '@clearance/core';
import { appendAuditEvent, findDelivery, markDeliverySent, recordDeliveryError, type Database } from '@clearance/db';

/** What a channel adapter is given: never more than one delivery's own fields. */
export interface OutgoingDelivery {
  id: string;
  channel: string;
  recipient: string;
  address: string | null;
  notice: Notice;
}

/** Sends one delivery; resolves when the channel acknowledged it, throws otherwise (with a message that holds no secret). */
export type NotificationSender = (delivery: OutgoingDelivery) => Promise<void>;

export interface NotificationDeliveryDeps {
  db: Database;
  policyVersion: string;
  send: NotificationSender;
}

export type DeliveryOutcome = 'sent' | 'skipped';

/**
 * One try of one delivery. Only a pending delivery of the job's round is
 * sent, so a retried or duplicated job never messages a channel that already
 * acknowledged; the row is marked sent as soon as the channel says yes. On
 * the last try a failure marks it failed and records the audit event admins
 * see; every failure is thrown again so the job retries or ends failed.
 */
export async function deliverNotification(deps: NotificationDeliveryDeps, input: { deliveryId: string; round: number; finalAttempt: boolean }): Promise<DeliveryOutcome> {
  const row = await findDelivery(deps.db, input.deliveryId);
  if (!row || row.state !== 'pending' || row.round !== input.round) return 'skipped';
  const notice = noticeSchema.parse(row.notice);
  try {
    await deps.send({ id: row.id, channel: row.channel, recipient: row.recipient, address: row.address, notice });
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 1_000);
    await deps.db.transaction(async (tx) => {
      const failed = await recordDeliveryError(tx, row.id, message, input.finalAttempt);
      if (failed === null || !input.finalAttempt) return;
      await appendAuditEvent(tx, {
        actor: 'system',
        subjectType: 'notification',
        subjectId: row.id,
        payload: {
          type: 'notification.failed',
          deliveryId: row.id,
          eventKind: row.eventKind,
          eventKey: row.eventKey,
          channel: row.channel,
          recipient: row.recipient,
          attempts: failed.attempts,
          error: message,
        },
        policyVersion: deps.policyVersion,
      });
    });
    throw error;
  }
  await markDeliverySent(deps.db, row.id);
  return 'sent';
}
