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
import {
  appendAuditEvents,
  contributionsInsert,
  hasNewerRevision,
  newContributionRecord,
  type ContributionRecord,
  type NewContributionRow,
  type Queryable,
} from '@clearance/db';
import { enqueueInsert } from '@clearance/queue';
import { auditContribution, contributionAuditEvent, lockContribution, type ContributionServiceDeps } from './contribution-transition.js';
import { contributionPolicyOf } from './policy-context.js';

export const contributionIdPattern = /^ctr_[0-9a-f]{20}$/;

/**
 * A new id sorts after the ids made before it: 11 hex digits of milliseconds
 * since 1970 (enough until the year 2527), then 9 random ones. A random id
 * would land each insert on a random leaf of every index keyed by it (the
 * requests' primary key and chain, their audit events' subject, their outbox
 * rows), and after each checkpoint the first change to a leaf writes the
 * whole page to the WAL: the tail latency of intake. Two ids made in the same
 * millisecond collide once in 2^36; the database refuses the duplicate and
 * ContributionIntake tries again with new ids.
 */
export const newContributionIds = (count: number, now = Date.now()): string[] => {
  // One draw of random bytes for all: a draw per id was 1.4% of the API's CPU at its intake peak.
  const random = randomBytes(5 * count).toString('hex');
  const time = now.toString(16).padStart(11, '0');
  return Array.from({ length: count }, (_, i) => `ctr_${time}${random.slice(10 * i, 10 * i + 9)}`);
};

export const newContributionId = (now = Date.now()): string => newContributionIds(1, now).join('');

interface NewRevision {
  state: ContributionState;
  chainId: string;
  request: ContributionRequest;
  now: Date;
}

/**
 * Writes new revisions (rows, `contribution.submitted` events, enrich jobs) in
 * the caller's transaction, one statement for the whole batch, and returns
 * their records.
 */
async function insertRevisions(deps: ContributionServiceDeps, tx: Queryable, revisions: readonly NewRevision[]): Promise<ContributionRecord[]> {
  const prepared = revisions.map(({ state, chainId, request, now }) => {
    const upstream = request.tier === 'new-project' ? null : request.upstream;
    const row: NewContributionRow = {
      state,
      chainId,
      title: request.title,
      input: toRequestInput(request),
      upstreamKey: upstream === null ? null : upstreamKey(upstream),
      pullRequest: primaryPullRequest(request),
      createdAt: now,
    };
    const event = contributionAuditEvent(deps.policy, {
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
    return { row, event };
  });
  const rows = prepared.map(({ row }) => row);
  // Rows, jobs and events in one statement: a batch costs the chain's lock,
  // one insert and the commit.
  await appendAuditEvents(
    tx,
    prepared.map(({ event }) => event),
    [contributionsInsert(rows), enqueueInsert('contribution.enrich', rows.map((row) => ({ requestId: row.state.id })))],
  );
  return rows.map(newContributionRecord);
}

export interface Submission {
  principal: Principal;
  request: ContributionRequest;
  now?: Date;
}

/**
 * Takes validated requests from their requesters in one transaction: each
 * row, its audit event and its enrichment job commit together, so an accepted
 * request is never lost and never waits for a job that was not queued.
 */
export async function submitContributions(deps: ContributionServiceDeps, submissions: readonly Submission[]): Promise<ContributionRecord[]> {
  // Refuse before accepting anything when the deployment cannot route requests.
  contributionPolicyOf(deps.policy);
  const ids = newContributionIds(submissions.length);
  const revisions = submissions.map(({ principal, request, now = new Date() }, i): NewRevision => {
    const state = createContribution({ id: ids[i] ?? newContributionId(), requester: principal.user, tier: request.tier, now });
    return { state, chainId: state.id, request, now };
  });
  const records = await deps.db.transaction((tx) => insertRevisions(deps, tx, revisions));
  deps.nudgeRelay?.();
  return records;
}

export async function submitContribution(deps: ContributionServiceDeps, submission: Submission): Promise<ContributionRecord> {
  const [record] = await submitContributions(deps, [submission]);
  if (!record) throw new Error('a submission returned no record');
  return record;
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
  const record = await deps.db.transaction(async (tx) => {
    const previous = await lockContribution(tx, input.previousId);
    const check = checkResubmission(previous.state, input.principal, { hasNewerRevision: await hasNewerRevision(tx, previous.state.id) });
    if (!check.ok) throw contributionRefusalError(check.refusal);
    const request = input.request ?? contributionRequestInputSchema.parse(previous.input);
    const state = createContribution({ id: newContributionId(), requester: input.principal.user, tier: request.tier, now, previous: check.previous });
    const [created] = await insertRevisions(deps, tx, [{ state, chainId: previous.chainId, request, now }]);
    await auditContribution(tx, deps.policy, {
      actor: input.principal.user,
      requestId: state.id,
      payload: { type: 'contribution.resubmitted', requestId: state.id, previousRevisionId: previous.state.id, revision: state.revision },
    });
    return created;
  });
  deps.nudgeRelay?.();
  if (!record) throw new Error('a resubmission returned no record');
  return record;
}
