import type { NotificationPolicy } from '@clearance/core';
import { advanceNotificationCursor, listAuditEvents, lockNotificationCursor, type Database } from '@clearance/db';
import { eventKindsOfAction } from './notification-event-kinds.js';
import { planNotice } from './notification-planning.js';

export interface NotificationDispatchDeps {
  db: Database;
  /** The routing file in force (with CLEARANCE_NOTIFY_WEBHOOK_URL's implicit route); null: nobody is told anything. */
  routing: NotificationPolicy | null;
}

/**
 * Reads the audit log past the dispatcher's cursor and plans the notices its
 * events call for, in one transaction with the cursor's move: a crash replans
 * nothing twice and skips nothing. Every state change already writes its
 * audit event in its own transaction, so notices follow committed facts only,
 * and a new kind needs no change to the service that writes the event.
 */
export async function dispatchNotifications(deps: NotificationDispatchDeps, options: { batchSize?: number } = {}): Promise<{ events: number; deliveries: number }> {
  const batchSize = options.batchSize ?? 500;
  return deps.db.transaction(async (tx) => {
    const after = await lockNotificationCursor(tx);
    const events = await listAuditEvents(tx, { afterSeq: after }, batchSize);
    const last = events.at(-1);
    if (last === undefined) return { events: 0, deliveries: 0 };
    let deliveries = 0;
    if (deps.routing !== null) {
      for (const event of events) {
        for (const entry of eventKindsOfAction(event.action)) {
          const notice = await entry.noticeOf(tx, event);
          if (notice !== null) deliveries += (await planNotice(tx, deps.routing, notice, event.actor)).length;
        }
      }
    }
    await advanceNotificationCursor(tx, last.seq);
    return { events: events.length, deliveries };
  });
}
