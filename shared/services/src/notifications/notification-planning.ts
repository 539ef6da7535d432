import { createHash } from 'node:crypto';
import { planDeliveries, type Notice, type NotificationPolicy } from '@clearance/core';
import { emailOptOuts, insertDeliveries, type DeliveryRow, type Queryable } from '@clearance/db';
import { enqueueEach } from '@clearance/queue';

/** The delivery id is the idempotency key itself, hashed to a fixed length. */
export const deliveryIdOf = (eventKey: string, recipient: string, channel: string): string =>
  `ntf_${createHash('sha256').update(`${eventKey}\n${recipient}\n${channel}`).digest('hex').slice(0, 32)}`;

/** Queues one delivery job per pending delivery, in the caller's transaction (the outbox relays it after commit). */
export const queueDeliveries = (tx: Queryable, deliveries: readonly DeliveryRow[]): Promise<string[]> =>
  enqueueEach(
    tx,
    'notification.deliver',
    deliveries.filter((delivery) => delivery.state === 'pending').map((delivery) => ({ deliveryId: delivery.id, round: delivery.round })),
  );

/**
 * Turns a notice into its deliveries by the routing file and queues the ones
 * to send now, in the caller's transaction. A notice planned before (same
 * key) adds nothing: each (event, recipient, channel) is delivered once.
 */
export async function planNotice(tx: Queryable, routing: NotificationPolicy, notice: Notice, actor?: string): Promise<DeliveryRow[]> {
  const planned = planDeliveries(routing, notice, { emailOptOuts: await emailOptOuts(tx), actor });
  const inserted = await insertDeliveries(
    tx,
    planned.map((delivery) => ({
      id: deliveryIdOf(notice.key, delivery.recipient, delivery.channel),
      eventKey: notice.key,
      eventKind: notice.kind,
      recipient: delivery.recipient,
      channel: delivery.channel,
      address: delivery.address,
      notice,
      state: delivery.held ? 'held' : 'pending',
    })),
  );
  await queueDeliveries(tx, inserted);
  return inserted;
}
