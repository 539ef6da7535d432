import {
  AppError,
  contributionRefusalError,
  type AuditPayload,
  type ContributionState,
  type ContributionTransition,
  type StageState,
} from '@clearance/core';
import {
  appendAuditEvent,
  findContribution,
  saveContributionState,
  type AuditAppend,
  type ContributionRecord,
  type Database,
  type Queryable,
} from '@clearance/db';
import { enqueue } from '@clearance/queue';
import type { PolicyContext } from './policy-context.js';

export interface ContributionServiceDeps {
  db: Database;
  policy: PolicyContext;
  /** Lets the relay send new outbox rows now rather than at its next poll. */
  nudgeRelay?: () => void;
}

export const CONTRIBUTION_SUBJECT = 'contribution';

/** Loads a request under its row lock, or fails with not_found. */
export async function lockContribution(tx: Queryable, id: string): Promise<ContributionRecord> {
  const record = await findContribution(tx, id, { forUpdate: true });
  if (record === null) throw new AppError('not_found', `no contribution request ${id}`);
  return record;
}

/** A refused transition becomes the AppError its refusal names (forbidden, conflict, validation_failed). */
export function assertAccepted<Extra>(
  transition: ContributionTransition<Extra>,
): asserts transition is Extract<ContributionTransition<Extra>, { ok: true }> {
  if (!transition.ok) throw contributionRefusalError(transition.refusal);
}

/**
 * Writes a transition computed by the domain. The row lock is already held,
 * so the version check only fails when a caller forgot to take it: a
 * conflict rather than a silently lost update.
 */
export async function commitTransition(tx: Queryable, before: ContributionState, after: ContributionState): Promise<void> {
  if (!(await saveContributionState(tx, before, after))) {
    throw new AppError('conflict', `contribution request ${before.id} changed meanwhile; reload it and try again`);
  }
}

/** A contribution audit event under the policy in force. */
export const contributionAuditEvent = (policy: PolicyContext, input: { actor: string; requestId: string; payload: AuditPayload }): AuditAppend => ({
  actor: input.actor,
  subjectType: CONTRIBUTION_SUBJECT,
  subjectId: input.requestId,
  payload: input.payload,
  policyVersion: policy.version,
});

/** Appends a contribution audit event in the caller's transaction, under the policy in force. */
export const auditContribution = (
  tx: Queryable,
  policy: PolicyContext,
  input: { actor: string; requestId: string; payload: AuditPayload },
): Promise<unknown> => appendAuditEvent(tx, contributionAuditEvent(policy, input));

/** A started stage gets its SLA job, delayed to the stage's due time. */
export async function scheduleStageSla(tx: Queryable, requestId: string, stage: StageState): Promise<void> {
  await enqueue(tx, 'contribution.sla', { requestId, stageIndex: stage.index }, stage.dueAt === null ? {} : { runAt: stage.dueAt });
}

/** A request that reached its final decision gets its GitHub follow-up job. */
export async function scheduleAfterDecision(tx: Queryable, requestId: string): Promise<void> {
  await enqueue(tx, 'contribution.after-decision', { requestId });
}
