import { randomBytes } from 'node:crypto';
import {
  checkResubmission,
  contributionRefusalError,
  contributionRequestInputSchema,
  createContribution,
  primaryPullRequest,
  toRequestInput,
  upstreamKey,
  type ContributionRequest,
  type ContributionState,
  type Principal,
} from '@clearance/core';
import { findContribution, hasNewerRevision, insertContribution, type ContributionRecord, type Queryable } from '@clearance/db';
import { enqueue } from '@clearance/queue';
import { auditContribution, lockContribution, type ContributionServiceDeps } from './contribution-transition.js';
import { contributionPolicyOf } from './policy-context.js';

export const contributionIdPattern = /^ctr_[0-9a-f]{20}$/;

const newContributionId = (): string => `ctr_${randomBytes(10).toString('hex')}`;

/** Writes a new revision (row, `contribution.submitted`, enrich job) in the caller's transaction. */
async function insertRevision(
  deps: ContributionServiceDeps,
  tx: Queryable,
  input: { state: ContributionState; chainId: string; request: ContributionRequest; now: Date },
): Promise<void> {
  const { state, request } = input;
  const upstream = request.tier === 'new-project' ? null : request.upstream;
  await insertContribution(tx, {
    state,
    chainId: input.chainId,
    title: request.title,
    input: toRequestInput(request),
    upstreamKey: upstream === null ? null : upstreamKey(upstream),
    pullRequest: primaryPullRequest(request),
    createdAt: input.now,
  });
  await enqueue(tx, 'contribution.enrich', { requestId: state.id });
  // Last, because appending takes the chain's lock until commit: the shorter
  // it is held, the more submissions commit per second.
  await auditContribution(tx, deps.policy, {
    actor: state.requester,
    requestId: state.id,
    payload: {
      type: 'contribution.submitted',
      requestId: state.id,
      revision: state.revision,
      previousRevisionId: state.previousRevisionId,
      requester: state.requester,
      tier: state.tier,
      upstream: upstream === null ? null : `${upstream.host}/${upstream.owner}/${upstream.repo}`,
      title: request.title,
    },
  });
}

/**
 * Takes a validated request from its requester: the row, its audit event and
 * the enrichment job commit together, so an accepted request is never lost
 * and never waits for a job that was not queued.
 */
export async function submitContribution(
  deps: ContributionServiceDeps,
  input: { principal: Principal; request: ContributionRequest; now?: Date },
): Promise<ContributionRecord> {
  // Refuse before accepting anything when the deployment cannot route requests.
  contributionPolicyOf(deps.policy);
  const now = input.now ?? new Date();
  const state = createContribution({ id: newContributionId(), requester: input.principal.user, tier: input.request.tier, now });
  await deps.db.transaction((tx) => insertRevision(deps, tx, { state, chainId: state.id, request: input.request, now }));
  deps.nudgeRelay?.();
  return (await findContribution(deps.db, state.id)) ?? fail(state.id);
}

/**
 * A new revision after a "no", a change request or a withdrawal. The old
 * revision keeps its decisions; the new one links back to it and is routed
 * afresh. `request` omitted: the previous revision's request as it was.
 */
export async function resubmitContribution(
  deps: ContributionServiceDeps,
  input: { principal: Principal; previousId: string; request?: ContributionRequest; now?: Date },
): Promise<ContributionRecord> {
  contributionPolicyOf(deps.policy);
  const now = input.now ?? new Date();
  const id = await deps.db.transaction(async (tx) => {
    const previous = await lockContribution(tx, input.previousId);
    const check = checkResubmission(previous.state, input.principal, { hasNewerRevision: await hasNewerRevision(tx, previous.state.id) });
    if (!check.ok) throw contributionRefusalError(check.refusal);
    const request = input.request ?? contributionRequestInputSchema.parse(previous.input);
    const state = createContribution({ id: newContributionId(), requester: input.principal.user, tier: request.tier, now, previous: check.previous });
    await insertRevision(deps, tx, { state, chainId: previous.chainId, request, now });
    await auditContribution(tx, deps.policy, {
      actor: input.principal.user,
      requestId: state.id,
      payload: { type: 'contribution.resubmitted', requestId: state.id, previousRevisionId: previous.state.id, revision: state.revision },
    });
    return state.id;
  });
  deps.nudgeRelay?.();
  return (await findContribution(deps.db, id)) ?? fail(id);
}

const fail = (id: string): never => {
  throw new Error(`contribution request ${id} vanished after commit`);
};
