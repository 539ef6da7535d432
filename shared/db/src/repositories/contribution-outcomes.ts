import {
  type ContributionHistory,
  type ContributionStatus,
} from '@clearance/core';
import type { Queryable } from '../database.js';

export interface OutcomeCounts {
  approved: number;
  rejected: number;
  changesRequested: number;
  withdrawn: number;
}

const emptyOutcomes = (): OutcomeCounts => ({ approved: 0, rejected: 0, changesRequested: 0, withdrawn: 0 });

const tally = (counts: OutcomeCounts, status: ContributionStatus, count: number): void => {
  if (status === 'approved' || status === 'auto-approved') counts.approved += count;
  else if (status === 'rejected' || status === 'auto-rejected') counts.rejected += count;
  else if (status === 'changes-requested') counts.changesRequested += count;
  else if (status === 'withdrawn') counts.withdrawn += count;
};

/**
 * Only final statuses are outcomes. Written as the predicate of the partial
 * index `contribution_requests_requester_outcomes` (migration 0006), so the
 * planner counts a requester's outcomes from that index alone, however many
 * requests they have open.
 */
const FINAL_STATUS = "status NOT IN ('submitted', 'enriching', 'in-review')";

/**
 * Outcomes for many requesters or upstreams in one query (a review queue page
 * needs them for every item). Only final statuses count, so an open request
 * never counts itself.
 */
const outcomesBy = async (db: Queryable, column: 'requester' | 'upstream_key', keys: readonly string[]): Promise<Map<string, OutcomeCounts>> => {
  const result = new Map<string, OutcomeCounts>(keys.map((key) => [key, emptyOutcomes()]));
  if (keys.length === 0) return result;
  const { rows } = await db.query<{ key: string; status: ContributionStatus; count: number }>(
    `SELECT ${column} AS key, status, count(*)::int AS count FROM contribution_requests
      WHERE ${column} = ANY($1) AND ${FINAL_STATUS}
      GROUP BY 1, 2`,
    [[...new Set(keys)]],
  );
  for (const row of rows) {
    const counts = result.get(row.key);
    if (counts) tally(counts, row.status, row.count);
  }
  return result;
};

export const outcomesByRequester = (db: Queryable, requesters: readonly string[]): Promise<Map<string, OutcomeCounts>> =>
  outcomesBy(db, 'requester', requesters);

export const outcomesByUpstream = (db: Queryable, upstreamKeys: readonly string[]): Promise<Map<string, OutcomeCounts>> =>
  outcomesBy(db, 'upstream_key', upstreamKeys);

/** The outcomes of a requester's other requests. */
export async function requesterOutcomes(db: Queryable, requester: string, excludeId: string): Promise<OutcomeCounts> {
  const { rows } = await db.query<{ status: ContributionStatus; count: number }>(
    `SELECT status, count(*)::int AS count FROM contribution_requests WHERE requester = $1 AND id <> $2 AND ${FINAL_STATUS} GROUP BY status`,
    [requester, excludeId],
  );
  const counts = emptyOutcomes();
  for (const row of rows) tally(counts, row.status, row.count);
  return counts;
}

/** What routing needs to know from earlier requests (the request itself excluded). */
export async function contributionHistory(
  db: Queryable,
  input: { id: string; requester: string; upstreamKey: string | null },
): Promise<ContributionHistory> {
  const requesterDecisions = await requesterOutcomes(db, input.requester, input.id);
  if (input.upstreamKey === null) {
    return { upstreamApprovedContributions: 0, requesterUpstreamApprovedContributions: 0, requesterDecisions };
  }
  const { rows } = await db.query<{ everyone: number; mine: number }>(
    `SELECT count(*)::int AS everyone, count(*) FILTER (WHERE requester = $3)::int AS mine
       FROM contribution_requests
      WHERE upstream_key = $1 AND id <> $2 AND status IN ('approved', 'auto-approved')`,
    [input.upstreamKey, input.id, input.requester],
  );
  return {
    upstreamApprovedContributions: rows[0]?.everyone ?? 0,
    requesterUpstreamApprovedContributions: rows[0]?.mine ?? 0,
    requesterDecisions,
  };
}

/** Merges one GitHub action into the request's record of them. */
