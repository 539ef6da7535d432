import { AppError, escalateOverdueStage, type SlaEscalationResult } from '@clearance/core';
import { auditContribution, commitTransition, lockContribution, type ContributionServiceDeps } from './contribution-transition.js';
import { contributionPolicyOf } from './policy-context.js';

export type SlaOutcome = 'escalated' | Extract<SlaEscalationResult, { kind: 'noop' }>['why'];

/**
 * The delayed SLA job's work at a stage's due time: if the stage is still
 * waiting, the policy's `sla.escalateTo` roles may decide it too from now on
 * (it shows in their queue, flagged overdue) and the escalation is audited;
 * the notification dispatcher turns that audit event into the overdue notice.
 * A stage decided meanwhile, or one already escalated, is left alone.
 */
export async function escalateOverdueContributionStage(
  deps: ContributionServiceDeps,
  input: { requestId: string; stageIndex: number; now?: Date },
): Promise<SlaOutcome> {
  const policy = contributionPolicyOf(deps.policy);
  const outcome = await deps.db.transaction(async (tx) => {
    const current = await lockContribution(tx, input.requestId);
    const result = escalateOverdueStage(current.state, input.stageIndex, policy.sla.escalateTo, input.now ?? new Date());
    if (result.kind === 'noop') return result.why;
    await commitTransition(tx, current.state, result.state);
    const { stage } = result;
    if (stage.dueAt === null) throw new AppError('internal', `stage ${stage.index} of ${input.requestId} escalated without a due time`);
    await auditContribution(tx, deps.policy, {
      actor: 'system',
      requestId: input.requestId,
      payload: {
        type: 'contribution.stage-escalated',
        requestId: input.requestId,
        stage: stage.index,
        dueAt: stage.dueAt.toISOString(),
        escalatedTo: stage.escalatedRoles,
      },
    });
    return 'escalated' as const;
  });
  return outcome;
}
