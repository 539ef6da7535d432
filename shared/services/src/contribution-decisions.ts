import { decide, withdraw, type DecisionInput, type DecisionOutcome, type DecisionRecord, type Principal } from '@clearance/core';
import { findContribution, findCurrentStage, recordAfterTransition, type ContributionRecord } from '@clearance/db';
import {
  assertAccepted,
  auditContribution,
  commitTransition,
  lockContribution,
  scheduleAfterDecision,
  scheduleStageSla,
  type ContributionServiceDeps,
} from './contribution-transition.js';

export interface DecisionResult {
  record: ContributionRecord;
  decision: DecisionRecord;
  outcome: DecisionOutcome;
}

const finalOutcomes: readonly DecisionOutcome[] = ['approved', 'rejected', 'changes-requested'];

/**
 * Records a reviewer's decision. The stage decided is the one the reviewer
 * named, or else the one that was current when the call arrived; the request
 * row is then locked and the domain rules run on its latest state. So of two
 * reviewers deciding the same stage at the same moment, the second finds the
 * stage no longer current and gets a conflict instead of a decision on a
 * stage they never looked at. The request is loaded once, under the lock;
 * the answer is built from what was written, not read back.
 */
export async function decideContribution(
  deps: ContributionServiceDeps,
  input: { id: string; principal: Principal; decision: DecisionInput; now?: Date },
): Promise<DecisionResult> {
  const stageIndex = input.decision.stageIndex ?? (await findCurrentStage(deps.db, input.id)) ?? undefined;
  const result = await deps.db.transaction(async (tx) => {
    const current = await lockContribution(tx, input.id);
    const decided = decide(current.state, input.principal, { ...input.decision, stageIndex }, input.now ?? new Date());
    assertAccepted(decided);
    await commitTransition(tx, current.state, decided.state);
    const { decision, outcome } = decided;
    await auditContribution(tx, deps.policy, {
      actor: input.principal.user,
      requestId: input.id,
      payload: {
        type: 'contribution.decided',
        requestId: input.id,
        stage: decision.stageIndex,
        decision: decision.decision,
        reason: decision.reason,
        by: decision.by,
        asRoles: decision.asRoles,
        outcome,
      },
    });
    if (decided.startedStage !== null) await scheduleStageSla(tx, input.id, decided.startedStage);
    if (finalOutcomes.includes(outcome)) await scheduleAfterDecision(tx, input.id);
    return { decision, outcome, record: recordAfterTransition(current, decided.state) };
  });
  deps.nudgeRelay?.();
  return result;
}

/** The requester takes back an open request; decisions already made stay. */
export async function withdrawContribution(
  deps: ContributionServiceDeps,
  input: { id: string; principal: Principal; now?: Date },
): Promise<ContributionRecord> {
  await deps.db.transaction(async (tx) => {
    const current = await lockContribution(tx, input.id);
    const withdrawn = withdraw(current.state, input.principal, input.now ?? new Date());
    assertAccepted(withdrawn);
    await commitTransition(tx, current.state, withdrawn.state);
    await auditContribution(tx, deps.policy, {
      actor: input.principal.user,
      requestId: input.id,
      payload: { type: 'contribution.withdrawn', requestId: input.id, by: input.principal.user },
    });
  });
  const record = await findContribution(deps.db, input.id);
  if (record === null) throw new Error(`contribution request ${input.id} vanished after commit`);
  return record;
}
