import {
  currentStageOf,
  decide,
  reviewerRoles,
  type Principal,
  type Role,
  type StageState,
} from '@clearance/core';
import { listReviewQueue, outcomesByRequester, outcomesByUpstream, type ContributionRecord, type OutcomeCounts, type ReviewQueueKey } from '@clearance/db';
import type { ContributionServiceDeps } from './contribution-transition.js';
import { licenseCategoryLookup } from './license-category.js';

export interface ReviewQueueItem {
  record: ContributionRecord;
  stage: StageState;
  overdue: boolean;
  /** The license policy's category of the upstream's license, when one was detected. */
  upstreamLicenseCategory: string | null;
  /** How this requester's other requests ended. */
  requesterOutcomes: OutcomeCounts;
  /** How other requests to this upstream ended (null for a new project). */
  upstreamOutcomes: OutcomeCounts | null;
  /** False when a rule keeps this reviewer from deciding (e.g. they signed an earlier stage); `blockedBecause` says which. */
  mayDecide: boolean;
  blockedBecause: string | null;
}

/**
 * A page of what waits for the roles a reviewer holds, longest waiting first, with
 * what they need to decide without opening anything else: the stage and its
 * due time, what GitHub said, the requester's and the upstream's past
 * outcomes, and (through the record) the routing explanation.
 */
export async function reviewQueueFor(
  deps: ContributionServiceDeps,
  input: { principal: Principal; limit: number; after?: ReviewQueueKey; now?: Date },
): Promise<{ items: ReviewQueueItem[]; next: ReviewQueueKey | null }> {
  const roles = input.principal.roles.filter((role) => (reviewerRoles as readonly Role[]).includes(role));
  if (roles.length === 0) return { items: [], next: null };
  const now = input.now ?? new Date();
  const category = licenseCategoryLookup(deps.policy.licenses);
  const { records, next } = await listReviewQueue(deps.db, { roles, excludeRequester: input.principal.user, limit: input.limit, after: input.after });
  const byRequester = await outcomesByRequester(deps.db, records.map((record) => record.state.requester));
  const byUpstream = await outcomesByUpstream(deps.db, records.flatMap((record) => (record.upstreamKey === null ? [] : [record.upstreamKey])));
  const none: OutcomeCounts = { approved: 0, rejected: 0, changesRequested: 0, withdrawn: 0 };
  const items: ReviewQueueItem[] = [];
  for (const record of records) {
    const stage = currentStageOf(record.state);
    if (stage === null) continue;
    // The domain rules say whether this reviewer could sign now; nothing is written.
    const trial = decide(record.state, input.principal, { decision: 'approve', stageIndex: stage.index }, now);
    const license = record.enrichment?.upstream?.license ?? null;
    items.push({
      record,
      stage,
      overdue: stage.dueAt !== null && stage.dueAt.getTime() <= now.getTime(),
      upstreamLicenseCategory: license === null ? null : category(license),
      requesterOutcomes: byRequester.get(record.state.requester) ?? none,
      upstreamOutcomes: record.upstreamKey === null ? null : (byUpstream.get(record.upstreamKey) ?? none),
      mayDecide: trial.ok,
      blockedBecause: trial.ok ? null : trial.refusal.message,
    });
  }
  return { items, next };
}
