import {
  AppError,
  applyRoutingPlan,
  contributionRequestInputSchema,
  route,
  startEnrichment,
  type ContributionStatus,
} from '@clearance/core';
import { contributionHistory, findContribution, recordContributionRouting } from '@clearance/db';
import type { ContributionGitHub } from './contribution-github.js';
import { readEnrichment } from './contribution-enrichment-reader.js';
import {
  assertAccepted,
  auditContribution,
  commitTransition,
  lockContribution,
  scheduleAfterDecision,
  scheduleStageSla,
  type ContributionServiceDeps,
} from './contribution-transition.js';
import { licenseCategoryLookup } from './license-category.js';
import { contributionPolicyOf } from './policy-context.js';

const awaitingRouting = (status: ContributionStatus): boolean => status === 'submitted' || status === 'enriching';

export type RoutingOutcome = { kind: 'routed'; status: ContributionStatus } | { kind: 'skipped'; status: ContributionStatus };

/**
 * The enrich job's work: read GitHub (outside any transaction: it is slow
 * and may fail), then route with the request's history and store the plan,
 * its audit events and the next jobs in one transaction. Idempotent: a
 * request that was already routed (a retried or duplicated job) is skipped.
 */
export async function enrichAndRouteContribution(
  deps: ContributionServiceDeps,
  input: { requestId: string; github: ContributionGitHub; finalAttempt: boolean; now?: Date },
): Promise<RoutingOutcome> {
  const policy = contributionPolicyOf(deps.policy);
  const record = await findContribution(deps.db, input.requestId);
  if (record === null) throw new AppError('not_found', `no contribution request ${input.requestId}`);
  if (!awaitingRouting(record.state.status)) return { kind: 'skipped', status: record.state.status };
  const request = contributionRequestInputSchema.parse(record.input);
  const read = await readEnrichment(input.github, request, { finalAttempt: input.finalAttempt });

  const outcome = await deps.db.transaction(async (tx): Promise<RoutingOutcome> => {
    const current = await lockContribution(tx, input.requestId);
    if (!awaitingRouting(current.state.status)) return { kind: 'skipped', status: current.state.status };
    const now = input.now ?? new Date();
    const history = await contributionHistory(tx, { id: current.state.id, requester: current.state.requester, upstreamKey: current.upstreamKey });
    const plan = route(request, read.enrichment, history, policy, { now, licenseCategory: licenseCategoryLookup(deps.policy.licenses) });
    const enriching = startEnrichment(current.state, now);
    assertAccepted(enriching);
    const routed = applyRoutingPlan(enriching.state, plan, now);
    assertAccepted(routed);
    await commitTransition(tx, current.state, routed.state);
    await recordContributionRouting(tx, input.requestId, { plan, enrichment: read.enrichment, policyVersion: deps.policy.version, routedAt: now });

    const audit = (payload: Parameters<typeof auditContribution>[2]['payload']) =>
      auditContribution(tx, deps.policy, { actor: 'system', requestId: input.requestId, payload });
    if (read.failures.length > 0) {
      await audit({ type: 'contribution.enrichment-failed', requestId: input.requestId, error: read.failures.join('; ') });
    }
    await audit({ type: 'contribution.enriched', requestId: input.requestId, enrichment: read.enrichment });
    await audit({ type: 'contribution.routed', requestId: input.requestId, plan, policyVersion: deps.policy.version });
    if (plan.kind === 'auto-approved') {
      await audit({ type: 'contribution.auto-approved', requestId: input.requestId, rule: plan.rule });
    } else if (plan.kind === 'auto-rejected') {
      await audit({ type: 'contribution.auto-rejected', requestId: input.requestId, rule: plan.rule, reason: plan.reason });
    }
    if (routed.startedStage !== null) await scheduleStageSla(tx, input.requestId, routed.startedStage);
    if (plan.kind !== 'stages') await scheduleAfterDecision(tx, input.requestId);
    return { kind: 'routed', status: routed.state.status };
  });
  deps.nudgeRelay?.();
  return outcome;
}
