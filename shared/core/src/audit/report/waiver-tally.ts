import type { AuditEventRecord } from '../event-hash.js';
import { readWaiver } from './read-payloads.js';
import type { ReportModel, WaiverLine } from './report-model.js';
import { compareKeys, type Counter } from './tally.js';

interface WaiverState extends WaiverLine {
  grantedInPeriod: boolean;
  changedInPeriod: boolean;
}

/** Waivers granted, revoked and expired; a waiver past its expiry counts as expired even before an event says so. */
export class WaiverTally {
  private readonly waivers = new Map<string, WaiverState>();
  private revoked = 0;
  private expired = 0;

  constructor(private readonly unreadable: Counter) {}

  add(event: AuditEventRecord, inPeriod: boolean): void {
    if (!event.action.startsWith('waiver.')) return;
    const facts = readWaiver(event.payload);
    if (facts === null) {
      this.unreadable.add(event.action);
      return;
    }
    if (event.action === 'waiver.granted') {
      this.waivers.set(facts.waiverId, {
        waiverId: facts.waiverId,
        seq: event.seq,
        grantedAt: event.occurredAt,
        grantedBy: facts.grantedBy ?? event.actor,
        subjectId: event.subjectId,
        purl: facts.purl,
        expiresAt: facts.expiresAt,
        status: 'open',
        grantedInPeriod: inPeriod,
        changedInPeriod: inPeriod,
      });
      return;
    }
    const waiver = this.waivers.get(facts.waiverId);
    if (event.action === 'waiver.revoked' || event.action === 'waiver.expired') {
      const status = event.action === 'waiver.revoked' ? 'revoked' : 'expired';
      if (inPeriod) {
        if (status === 'revoked') this.revoked += 1;
        else this.expired += 1;
      }
      if (waiver !== undefined) {
        waiver.status = status;
        waiver.changedInPeriod ||= inPeriod;
      }
    }
  }

  model(periodEnd: number | null): ReportModel['waivers'] {
    const lines: WaiverLine[] = [];
    let granted = 0;
    let open = 0;
    for (const waiver of this.waivers.values()) {
      const lapsed = waiver.expiresAt !== null && periodEnd !== null && Date.parse(waiver.expiresAt) <= periodEnd;
      const status = waiver.status === 'open' && lapsed ? 'expired' : waiver.status;
      if (waiver.grantedInPeriod) granted += 1;
      if (status === 'open') open += 1;
      if (waiver.changedInPeriod || status === 'open') {
        lines.push({
          waiverId: waiver.waiverId,
          seq: waiver.seq,
          grantedAt: waiver.grantedAt,
          grantedBy: waiver.grantedBy,
          subjectId: waiver.subjectId,
          purl: waiver.purl,
          expiresAt: waiver.expiresAt,
          status,
        });
      }
    }
    lines.sort((a, b) => a.seq - b.seq || compareKeys(a.waiverId, b.waiverId));
    return { granted, open, revoked: this.revoked, expired: this.expired, lines };
  }
}
