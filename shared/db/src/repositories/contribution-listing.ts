import {
  type ContributionStatus,
} from '@clearance/core';
import type { Queryable } from '../database.js';
import { withChildren, type ContributionRecord, type RequestRecord } from './contribution-records.js';

export interface ContributionFilter {
  requester?: string;
  status?: ContributionStatus;
  upstreamKey?: string;
  limit: number;
  /** Keyset paging: rows created before this one. */
  before?: { createdAt: Date; id: string };
}

/** Newest first. */
export async function listContributions(db: Queryable, filter: ContributionFilter): Promise<ContributionRecord[]> {
  const params: unknown[] = [];
  const conditions: string[] = [];
  const add = (sql: string, ...values: unknown[]): void => {
    let text = sql;
    for (const value of values) {
      params.push(value);
      text = text.replace('?', `$${params.length}`);
    }
    conditions.push(text);
  };
  if (filter.requester !== undefined) add('requester = ?', filter.requester);
  if (filter.status !== undefined) add('status = ?', filter.status);
  if (filter.upstreamKey !== undefined) add('upstream_key = ?', filter.upstreamKey);
  if (filter.before !== undefined) add('(created_at, id) < (?, ?)', filter.before.createdAt, filter.before.id);
  params.push(filter.limit);
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  const { rows } = await db.query<RequestRecord>(
    `SELECT * FROM contribution_requests ${where} ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
    params,
  );
  return withChildren(db, rows);
}

/**
 * Requests whose current stage may be decided by one of `roles` (including
 * roles added by an SLA escalation), longest waiting first. The reviewer's
 * own requests are left out: nobody decides their own request.
 */
/** Where a page of the review queue ends: its order's key, times with microseconds (as PostgreSQL keeps them). */
export interface ReviewQueueKey {
  stageStartedAt: string;
  createdAt: string;
  id: string;
}

const microsecondsUtc = (column: string): string => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * A page of what waits for these roles, longest waiting first (stage start,
 * then request creation, then id: a total order, so keyset paging after the
 * last key neither repeats nor skips an item while the queue changes).
 */
export async function listReviewQueue(
  db: Queryable,
  input: { roles: readonly string[]; excludeRequester: string; limit: number; after?: ReviewQueueKey },
): Promise<{ records: ContributionRecord[]; next: ReviewQueueKey | null }> {
  const params: unknown[] = [[...input.roles], input.excludeRequester, input.limit];
  let after = '';
  if (input.after) {
    params.push(input.after.stageStartedAt, input.after.createdAt, input.after.id);
    after = 'AND (s.started_at, r.created_at, r.id) > ($4::timestamptz, $5::timestamptz, $6)';
  }
  const { rows } = await db.query<RequestRecord & { queue_started_at: string; queue_created_at: string }>(
    `SELECT r.*, ${microsecondsUtc('s.started_at')} AS queue_started_at, ${microsecondsUtc('r.created_at')} AS queue_created_at
       FROM contribution_requests r
       JOIN contribution_stages s ON s.request_id = r.id AND s.idx = r.current_stage
      WHERE r.status = 'in-review' AND s.status = 'pending'
        AND (s.roles || s.escalated_roles) && $1::text[]
        AND r.requester <> $2
        ${after}
      ORDER BY s.started_at, r.created_at, r.id
      LIMIT $3`,
    params,
  );
  const last = rows.at(-1);
  const next = last && rows.length === input.limit ? { stageStartedAt: last.queue_started_at, createdAt: last.queue_created_at, id: last.id } : null;
  return { records: await withChildren(db, rows), next };
}

/** Past outcomes, grouped as a reviewer reads them: auto-approvals count as approvals, auto-rejections as rejections. */
export async function listDriftCandidates(db: Queryable, limit: number): Promise<ContributionRecord[]> {
  const { rows } = await db.query<RequestRecord>(
    `SELECT * FROM contribution_requests
      WHERE pull_request IS NOT NULL AND drift_done_at IS NULL AND status IN ('approved', 'auto-approved')
      ORDER BY drift_checked_at NULLS FIRST, id
      LIMIT $1`,
    [limit],
  );
  return withChildren(db, rows);
}

/** `done`: the pull request will not change any more (merged, closed or gone); `flagged`: a drift was recorded. */
