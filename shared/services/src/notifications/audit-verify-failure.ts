import type { ChainReport } from '@clearance/core';
import { appendAuditEvent, type Database } from '@clearance/db';

/**
 * A verification that failed is itself a fact for the log: its
 * `audit.verify-failed` event is what the `audit.verify-failed` notice kind is
 * keyed on. Each failed run is recorded (a verification is a deliberate act,
 * and a second failure after a restore says something too).
 */
export async function recordAuditVerifyFailure(deps: { db: Database; policyVersion: string | null }, report: ChainReport, actor: string): Promise<void> {
  if (report.ok) return;
  const first = report.problems[0];
  await deps.db.transaction((tx) =>
    appendAuditEvent(tx, {
      actor,
      subjectType: 'audit',
      subjectId: 'chain',
      payload: { type: 'audit.verify-failed', firstBadSeq: first?.seq ?? null, problem: first ? `${first.kind}: ${first.detail}`.slice(0, 1_000) : `${report.problemCount} problems` },
      policyVersion: deps.policyVersion,
    }),
  );
}
