import { randomBytes } from 'node:crypto';
import { AppError, waiverGrantProblems, type Verdict, type WaiverScope } from '@clearance/core';
import {
  appendAuditEvent,
  claimUnrecordedExpiries,
  findWaiver,
  insertWaiver,
  listWaivers,
  markExpiryRecorded,
  revokeWaiver,
  type Database,
  type WaiverRow,
} from '@clearance/db';
import type { PolicyContext } from './policy-context.js';

export interface WaiverServiceDeps {
  db: Database;
  policy: PolicyContext;
}

export async function grantWaiver(
  deps: WaiverServiceDeps,
  input: { scope: WaiverScope; verdict: Verdict; justification: string; expiresAt: string; grantedBy: string; now?: Date },
): Promise<WaiverRow> {
  const problems = waiverGrantProblems(input, deps.policy.licenses, input.now ?? new Date());
  if (problems.length > 0) throw new AppError('validation_failed', `the waiver cannot be granted: ${problems.join('; ')}`, problems);
  const id = `wvr_${randomBytes(8).toString('hex')}`;
  const expiresAt = new Date(input.expiresAt).toISOString();
  return deps.db.transaction(async (tx) => {
    const row = await insertWaiver(tx, { id, scope: input.scope, verdict: input.verdict, justification: input.justification, expiresAt, grantedBy: input.grantedBy });
    await appendAuditEvent(tx, {
      actor: input.grantedBy,
      subjectType: 'waiver',
      subjectId: id,
      payload: { type: 'waiver.granted', waiverId: id, scope: row.scope, verdict: row.verdict, justification: row.justification, expiresAt: row.expiresAt, grantedBy: input.grantedBy },
      policyVersion: deps.policy.version,
    });
    return row;
  });
}

export async function revokeWaiverById(
  deps: WaiverServiceDeps,
  input: { id: string; reason: string; revokedBy: string },
): Promise<WaiverRow> {
  return deps.db.transaction(async (tx) => {
    const existing = await findWaiver(tx, input.id, { forUpdate: true });
    if (!existing) throw new AppError('not_found', `no waiver ${input.id}`);
    if (existing.revokedAt !== null) throw new AppError('conflict', `waiver ${input.id} is already revoked`);
    await revokeWaiver(tx, input);
    await appendAuditEvent(tx, {
      actor: input.revokedBy,
      subjectType: 'waiver',
      subjectId: input.id,
      payload: { type: 'waiver.revoked', waiverId: input.id, scope: existing.scope, verdict: existing.verdict, reason: input.reason, revokedBy: input.revokedBy },
      policyVersion: deps.policy.version,
    });
    const revoked = await findWaiver(tx, input.id);
    if (!revoked) throw new Error('revoked waiver vanished');
    return revoked;
  });
}

/**
 * Writes one `waiver.expired` event per waiver whose expiry passed, once.
 * Runs periodically; expiry itself needs no job (evaluation compares dates).
 */
export async function recordWaiverExpiries(deps: WaiverServiceDeps, now = new Date()): Promise<number> {
  return deps.db.transaction(async (tx) => {
    const expired = await claimUnrecordedExpiries(tx, now, 500);
    for (const waiver of expired) {
      await markExpiryRecorded(tx, waiver.id);
      await appendAuditEvent(tx, {
        actor: 'system',
        subjectType: 'waiver',
        subjectId: waiver.id,
        payload: { type: 'waiver.expired', waiverId: waiver.id, scope: waiver.scope, verdict: waiver.verdict, expiresAt: waiver.expiresAt },
        policyVersion: deps.policy.version,
      });
    }
    return expired.length;
  });
}

/** The waivers in a state (active, expired, revoked) at `now`, or all of them. */
export const findWaivers = (deps: { db: Database }, filter: { state?: 'active' | 'expired' | 'revoked'; now: Date }): Promise<WaiverRow[]> =>
  listWaivers(deps.db, filter);
