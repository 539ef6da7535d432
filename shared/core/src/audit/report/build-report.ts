import type { AuditEventRecord } from '../event-hash.js';
import { ContributionTally } from './contribution-tally.js';
import { PolicyTally } from './policy-tally.js';
import type { ReportModel } from './report-model.js';
import { SbomTally } from './sbom-tally.js';
import { Counter } from './tally.js';
import { WaiverTally } from './waiver-tally.js';

export interface ReportPeriod {
  /** Inclusive start (ISO 8601); events before it only set the state the period starts from. */
  from?: string | null;
  /** Exclusive end (ISO 8601); events at or after it are ignored. */
  to?: string | null;
}

const instant = (value: string | null | undefined, name: string): number | null => {
  if (value === null || value === undefined) return null;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new RangeError(`report period ${name} is not a date: ${value}`);
  return ms;
};

/**
 * The due-diligence report computed from the events alone: no database, no
 * clock, no locale, so the same events (the same bundle) always give the
 * same model. Events are read once, in order.
 */
export async function buildReport(
  events: Iterable<AuditEventRecord> | AsyncIterable<AuditEventRecord>,
  period: ReportPeriod = {},
): Promise<ReportModel> {
  const fromMs = instant(period.from, 'from');
  const toMs = instant(period.to, 'to');
  const unreadable = new Counter();
  const contributions = new ContributionTally(unreadable);
  const sboms = new SbomTally(unreadable);
  const waivers = new WaiverTally(unreadable);
  const policies = new PolicyTally(unreadable);
  const summary: ReportModel['events'] = { count: 0, firstSeq: null, lastSeq: null, firstAt: null, lastAt: null };
  let lastAtMs: number | null = null;

  for await (const event of events) {
    const at = Date.parse(event.occurredAt);
    if (toMs !== null && at >= toMs) continue;
    const inPeriod = fromMs === null || at >= fromMs;
    if (inPeriod) {
      summary.count += 1;
      summary.firstSeq ??= event.seq;
      summary.lastSeq = event.seq;
      summary.firstAt ??= event.occurredAt;
      summary.lastAt = event.occurredAt;
      lastAtMs = at;
    }
    if (event.action.startsWith('contribution.')) contributions.add(event, inPeriod);
    else if (event.action.startsWith('sbom.')) sboms.add(event, inPeriod);
    else if (event.action.startsWith('waiver.')) waivers.add(event, inPeriod);
    policies.add(event, inPeriod);
  }

  // Open stages and waivers are judged at the period's end, or at the last event for an open-ended period.
  const periodEnd = toMs ?? lastAtMs;
  return {
    period: { from: period.from ?? null, to: period.to ?? null },
    events: summary,
    contributions: contributions.contributions(),
    reviews: contributions.reviews(periodEnd),
    sboms: sboms.model(),
    waivers: waivers.model(periodEnd),
    policies: policies.model(),
    unreadable: unreadable.tallies(),
  };
}
