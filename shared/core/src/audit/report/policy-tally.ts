import type { AuditEventRecord } from '../event-hash.js';
import { readPolicyActivated } from './read-payloads.js';
import type { PolicyChange, ReportModel } from './report-model.js';
import { Counter } from './tally.js';

/** Which policy versions were in force, when they changed, and how many events each one governed. */
export class PolicyTally {
  private lastBefore: string | null = null;
  private firstInPeriod: { seq: number; version: string | null } | null = null;
  private readonly changes: PolicyChange[] = [];
  private readonly eventsByVersion = new Counter();

  constructor(private readonly unreadable: Counter) {}

  add(event: AuditEventRecord, inPeriod: boolean): void {
    if (inPeriod) {
      this.eventsByVersion.add(event.policyVersion ?? '(none)');
      this.firstInPeriod ??= { seq: event.seq, version: event.policyVersion };
    }
    if (event.action !== 'policy.activated') return;
    const facts = readPolicyActivated(event.payload);
    if (facts === null) {
      this.unreadable.add(event.action);
      return;
    }
    if (!inPeriod) {
      this.lastBefore = facts.version;
      return;
    }
    this.changes.push({ seq: event.seq, at: event.occurredAt, actor: event.actor, version: facts.version, previousVersion: facts.previousVersion });
  }

  model(): ReportModel['policies'] {
    return { inForceAtStart: this.inForceAtStart(), changes: this.changes, eventsByVersion: this.eventsByVersion.tallies() };
  }

  private inForceAtStart(): string | null {
    if (this.lastBefore !== null) return this.lastBefore;
    // An export that starts mid-history has no activation before the period:
    // the first change's "previous" or else the first event's own version is the evidence.
    const first = this.changes[0];
    if (first === undefined) return this.firstInPeriod?.version ?? null;
    if (first.previousVersion !== null) return first.previousVersion;
    return this.firstInPeriod !== null && this.firstInPeriod.seq < first.seq ? this.firstInPeriod.version : null;
  }
}
