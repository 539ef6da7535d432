import { buildReport, type AuditEventRecord, type ReportModel } from '@clearance/core';
import { listAuditEvents, streamAuditEvents, type AuditFilter, type Database } from '@clearance/db';

export interface AuditEventPage {
  items: AuditEventRecord[];
  /** The sequence number to continue after; null on the last page. */
  nextCursor: number | null;
}

/** One page of the events matching a search, oldest first. */
export async function searchAuditEvents(deps: { db: Database }, filter: Omit<AuditFilter, 'afterSeq'> & { afterSeq?: number }, limit: number): Promise<AuditEventPage> {
  // One more than asked tells whether a next page exists without counting.
  const items = await listAuditEvents(deps.db, filter, limit + 1);
  const page = items.slice(0, limit);
  return { items: page, nextCursor: items.length > limit ? (page.at(-1)?.seq ?? null) : null };
}

/** Every event about one subject, oldest first. */
export async function subjectTimeline(deps: { db: Database }, subject: { type: string; id: string }): Promise<AuditEventRecord[]> {
  const items: AuditEventRecord[] = [];
  for await (const event of streamAuditEvents(deps.db, { subjectType: subject.type, subjectId: subject.id })) items.push(event);
  return items;
}

/** The due-diligence report of a period, computed from the events alone (streamed: memory does not grow with the log). */
export const auditReport = (deps: { db: Database }, period: { from: Date | undefined; to: Date | undefined }): Promise<ReportModel> =>
  buildReport(streamAuditEvents(deps.db, { to: period.to }), { from: period.from?.toISOString() ?? null, to: period.to?.toISOString() ?? null });
