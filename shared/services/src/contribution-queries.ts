import { upstreamKey, type ContributionStatus, type UpstreamRef } from '@clearance/core';
import { findContribution, listContributions, listRevisions, type ContributionRecord } from '@clearance/db';
import type { ContributionServiceDeps } from './contribution-transition.js';

export interface ContributionDetail {
  record: ContributionRecord;
  /** Every revision of this request, oldest first (this one included): earlier decisions stay visible. */
  revisions: ContributionRecord[];
}

export async function getContributionDetail(deps: ContributionServiceDeps, id: string): Promise<ContributionDetail | null> {
  const record = await findContribution(deps.db, id);
  if (record === null) return null;
  return { record, revisions: await listRevisions(deps.db, record.chainId) };
}

export interface ContributionQuery {
  requester?: string;
  status?: ContributionStatus;
  upstream?: UpstreamRef;
  limit: number;
  before?: { createdAt: Date; id: string };
}

export const findContributions = (deps: ContributionServiceDeps, query: ContributionQuery): Promise<ContributionRecord[]> =>
  listContributions(deps.db, {
    limit: query.limit,
    ...(query.requester === undefined ? {} : { requester: query.requester }),
    ...(query.status === undefined ? {} : { status: query.status }),
    ...(query.upstream === undefined ? {} : { upstreamKey: upstreamKey(query.upstream) }),
    ...(query.before === undefined ? {} : { before: query.before }),
  });
