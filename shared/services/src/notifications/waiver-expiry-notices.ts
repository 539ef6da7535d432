import type { Notice, NotificationPolicy } from '@clearance/core';
import { listWaivers, type Database, type WaiverRow } from '@clearance/db';
import { planNotice } from './notification-planning.js';

const dayMs = 86_400_000;

/** The tightest threshold a waiver has crossed, or null when it is further from expiry than all of them. */
const crossedThreshold = (waiver: WaiverRow, thresholds: readonly number[], now: Date): number | null => {
  const left = Date.parse(waiver.expiresAt) - now.getTime();
  const crossed = thresholds.filter((days) => left <= days * dayMs);
  return crossed.length === 0 ? null : Math.min(...crossed);
};

const expiringNotice = (waiver: WaiverRow, days: number, now: Date): Notice => {
  const left = Math.max(0, Math.ceil((Date.parse(waiver.expiresAt) - now.getTime()) / dayMs));
  return {
    kind: 'waiver.expiring',
    key: `waiver.${waiver.id}.${days}d`,
    title: `Waiver expiring in ${left} day${left === 1 ? '' : 's'}: ${waiver.scope.purl}`,
    text: `Waiver ${waiver.id} for ${waiver.scope.purl} (verdict ${waiver.verdict}, granted by ${waiver.grantedBy}) expires ${waiver.expiresAt}; renew it or let the license verdict apply again.`,
    facts: [
      { name: 'Waiver', value: waiver.id },
      { name: 'Scope', value: waiver.scope.purl },
      { name: 'Expires', value: waiver.expiresAt },
    ],
    data: { waiverId: waiver.id, purl: waiver.scope.purl, verdict: waiver.verdict, expiresAt: waiver.expiresAt, thresholdDays: days },
    audienceRoles: ['compliance', 'legal'],
    audienceUsers: [waiver.grantedBy],
  };
};

/**
 * The scheduled waiver check: one notice per active waiver per threshold of
 * `waiverExpiryDays` it crossed (the notice key names the threshold, so
 * running every minute sends each once). A waiver granted already inside
 * several thresholds is told about the tightest only.
 */
export async function emitWaiverExpiryNotices(deps: { db: Database; routing: NotificationPolicy | null }, now = new Date()): Promise<number> {
  const routing = deps.routing;
  if (routing === null) return 0;
  const active = await listWaivers(deps.db, { state: 'active', now });
  let planned = 0;
  for (const waiver of active) {
    const days = crossedThreshold(waiver, routing.waiverExpiryDays, now);
    if (days === null) continue;
    planned += (await deps.db.transaction((tx) => planNotice(tx, routing, expiringNotice(waiver, days, now)))).length;
  }
  return planned;
}
