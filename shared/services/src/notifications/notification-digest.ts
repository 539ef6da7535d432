import type { Notice } from '@clearance/core';
import { noticeSchema } from '@clearance/core';
import { claimHeldDeliveries, insertDeliveries, markDigested, type Database, type DeliveryRow } from '@clearance/db';
import { deliveryIdOf, queueDeliveries } from './notification-planning.js';

const dayOf = (now: Date): string => now.toISOString().slice(0, 10);

const digestNotice = (day: string, held: readonly DeliveryRow[]): Notice => {
  const notices = held.map((row) => noticeSchema.parse(row.notice));
  return {
    kind: 'digest',
    key: `digest.${day}`,
    title: `Clearance daily digest, ${day}: ${notices.length} notice${notices.length === 1 ? '' : 's'}`,
    text: notices.map((notice) => `- ${notice.text}`).join('\n'),
    facts: [],
    data: { day, notices: notices.map((notice) => ({ kind: notice.kind, key: notice.key, title: notice.title })) },
    audienceRoles: [],
    audienceUsers: [],
  };
};

/**
 * Collects each recipient's held notices into one digest delivery per
 * (recipient, channel) and day, and queues it. Run by the daily
 * `notification.digest` job; `now` is the clock tests set. A second run on
 * the same day finds that day's digest already made and leaves anything held
 * since then for the next day.
 */
export async function collectDailyDigests(deps: { db: Database }, now = new Date()): Promise<{ digests: number; notices: number }> {
  const day = dayOf(now);
  return deps.db.transaction(async (tx) => {
    const held = await claimHeldDeliveries(tx, 5_000);
    const groups = new Map<string, DeliveryRow[]>();
    for (const row of held) {
      const key = `${row.recipient}\n${row.channel}`;
      groups.set(key, [...(groups.get(key) ?? []), row]);
    }
    let digests = 0;
    let notices = 0;
    for (const rows of groups.values()) {
      const first = rows[0];
      if (first === undefined) continue;
      const notice = digestNotice(day, rows);
      const id = deliveryIdOf(notice.key, first.recipient, first.channel);
      const inserted = await insertDeliveries(tx, [
        { id, eventKey: notice.key, eventKind: 'digest', recipient: first.recipient, channel: first.channel, address: first.address, notice, state: 'pending' },
      ]);
      if (inserted.length === 0) continue;
      await markDigested(tx, rows.map((row) => row.id), id);
      await queueDeliveries(tx, inserted);
      digests += 1;
      notices += rows.length;
    }
    return { digests, notices };
  });
}
