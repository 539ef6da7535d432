import type { Principal } from '../auth/roles.js';
import { refuse } from './refusal.js';
import type { ContributionRefusal } from './refusal.js';
import { resubmittableStatuses } from './state.js';
import type { ContributionState, ContributionStatus } from './state.js';

export type ResubmissionCheck = { ok: true; previous: { id: string; revision: number } } | { ok: false; refusal: ContributionRefusal };

/**
 * Whether `previous` may be followed by a new revision. The old revision and
 * its "no" stay as they are; the new one links back with previousRevisionId
 * (pass `previous` to createContribution). Only the latest revision of a
 * chain can be resubmitted, so a chain never forks; the service knows
 * whether a newer one exists.
 */
export const checkResubmission = (
  previous: ContributionState,
  principal: Principal,
  options: { hasNewerRevision: boolean },
): ResubmissionCheck => {
  if (principal.user !== previous.requester) {
    return refuse('forbidden', 'not-requester', 'Only the requester can resubmit a request');
  }
  if (!(resubmittableStatuses as readonly ContributionStatus[]).includes(previous.status)) {
    return refuse(
      'conflict',
      'not-resubmittable',
      `Request ${previous.id} is ${previous.status}; only ${resubmittableStatuses.join(', ')} requests can be resubmitted`,
    );
  }
  if (options.hasNewerRevision) {
    return refuse('conflict', 'not-latest-revision', `Request ${previous.id} already has a newer revision; resubmit that one`);
  }
  return { ok: true, previous: { id: previous.id, revision: previous.revision } };
};
