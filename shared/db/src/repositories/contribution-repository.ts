import {
  isOpenStatus,
  type ContributionEnrichment,
  type ContributionState,
  type PullRequestRef,
  type RoutingPlan,
  type StageState,
} from '@clearance/core';
import type { Queryable } from '../database.js';
import type { UnnestInsert } from '../unnest-insert.js';
import { withChildren, type ContributionRecord, type ContributionGitHubActions, type RequestRecord } from './contribution-records.js';

export interface NewContributionRow {
  state: ContributionState;
  chainId: string;
  title: string;
  input: unknown;
  upstreamKey: string | null;
  pullRequest: PullRequestRef | null;
  createdAt: Date;
}

const contributionColumns = [
  ['id', 'text'],
  ['chain_id', 'text'],
  ['revision', 'int'],
  ['previous_revision_id', 'text'],
  ['requester', 'text'],
  ['tier', 'text'],
  ['title', 'text'],
  ['input', 'jsonb'],
  ['upstream_key', 'text'],
  ['pull_request', 'jsonb'],
  ['status', 'text'],
  ['current_stage', 'int'],
  ['version', 'int'],
  ['created_at', 'timestamptz'],
  ['updated_at', 'timestamptz'],
] as const;

/**
 * The insert of new revisions, one statement for a batch of submissions; it
 * is written along with their audit events (see `appendAuditEvents`).
 */
export const contributionsInsert = (rows: readonly NewContributionRow[]): UnnestInsert => ({
  table: 'contribution_requests',
  columns: contributionColumns,
  rows: rows.map(({ state, ...row }) => [
    state.id,
    row.chainId,
    state.revision,
    state.previousRevisionId,
    state.requester,
    state.tier,
    row.title,
    JSON.stringify(row.input),
    row.upstreamKey,
    row.pullRequest === null ? null : JSON.stringify(row.pullRequest),
    state.status,
    state.currentStage,
    state.version,
    row.createdAt,
    row.createdAt,
  ]),
});

/**
 * The record `findContribution` reads back for a row `contributionsInsert`
 * just wrote (nothing else has touched it yet), built without reading:
 * answering a submission costs no further queries.
 */
export const newContributionRecord = (row: NewContributionRow): ContributionRecord => ({
  state: row.state,
  chainId: row.chainId,
  title: row.title,
  input: row.input,
  upstreamKey: row.upstreamKey,
  pullRequest: row.pullRequest,
  effectiveTier: null,
  plan: null,
  enrichment: null,
  policyVersion: null,
  createdAt: row.createdAt,
  routedAt: null,
  decidedAt: null,
  githubActions: {},
  driftFlaggedAt: null,
});

/** `forUpdate` locks the request row: deciders and workers that change it serialize on this lock. */
export async function findContribution(db: Queryable, id: string, options: { forUpdate?: boolean } = {}): Promise<ContributionRecord | null> {
  const { rows } = await db.query<RequestRecord>(`SELECT * FROM contribution_requests WHERE id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  const [record] = await withChildren(db, rows);
  return record ?? null;
}

/** The current stage of a request (null: none; undefined: no such request), read without loading the request. */
export async function findCurrentStage(db: Queryable, id: string): Promise<number | null | undefined> {
  const { rows } = await db.query<{ current_stage: number | null }>('SELECT current_stage FROM contribution_requests WHERE id = $1', [id]);
  return rows[0] === undefined ? undefined : rows[0].current_stage;
}

/**
 * The record as saveContributionState leaves it, built without reading it
 * back: the new state, and the decision time once the request closes.
 */
export const recordAfterTransition = (record: ContributionRecord, after: ContributionState): ContributionRecord => ({
  ...record,
  state: after,
  decidedAt: isOpenStatus(record.state.status) && !isOpenStatus(after.status) ? after.updatedAt : record.decidedAt,
});

const sameStage = (a: StageState, b: StageState): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Writes a transition computed by the domain (`before` → `after`): the
 * request row only if it still has `before.version` (false otherwise: someone
 * else changed it first), the stages that changed, and the decisions that were
 * appended. Decisions already stored are never touched.
 */
export async function saveContributionState(tx: Queryable, before: ContributionState, after: ContributionState): Promise<boolean> {
  const closing = isOpenStatus(before.status) && !isOpenStatus(after.status);
  const updated = await tx.query(
    `UPDATE contribution_requests
        SET status = $2, current_stage = $3, auto_outcome = $4, version = $5, updated_at = $6,
            decided_at = CASE WHEN $7::boolean THEN $6 ELSE decided_at END
      WHERE id = $1 AND version = $8`,
    [
      after.id,
      after.status,
      after.currentStage,
      after.autoOutcome === null ? null : JSON.stringify(after.autoOutcome),
      after.version,
      after.updatedAt,
      closing,
      before.version,
    ],
  );
  if (updated.rowCount !== 1) return false;

  for (const stage of after.stages) {
    const previous = before.stages.find((entry) => entry.index === stage.index);
    if (previous !== undefined && sameStage(previous, stage)) continue;
    const values = [
      after.id,
      stage.index,
      stage.roles,
      stage.escalatedRoles,
      stage.approvals,
      stage.dueInWorkingDays,
      stage.rule,
      stage.reason,
      stage.status,
      stage.startedAt,
      stage.dueAt,
      stage.escalatedAt,
    ];
    await tx.query(
      previous === undefined
        ? `INSERT INTO contribution_stages
             (request_id, idx, roles, escalated_roles, approvals, due_in_working_days, rule, reason, status, started_at, due_at, escalated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`
        : `UPDATE contribution_stages
              SET roles = $3, escalated_roles = $4, approvals = $5, due_in_working_days = $6, rule = $7, reason = $8,
                  status = $9, started_at = $10, due_at = $11, escalated_at = $12
            WHERE request_id = $1 AND idx = $2`,
      values,
    );
  }

  const kept = after.decisions.slice(0, before.decisions.length);
  if (JSON.stringify(kept) !== JSON.stringify(before.decisions)) {
    throw new Error(`decisions of ${after.id} are append-only: an earlier decision changed`);
  }
  for (const [offset, decision] of after.decisions.slice(before.decisions.length).entries()) {
    await tx.query(
      `INSERT INTO contribution_decisions (request_id, ordinal, stage_index, decision, decided_by, as_roles, reason, decided_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [after.id, before.decisions.length + offset, decision.stageIndex, decision.decision, decision.by, decision.asRoles, decision.reason, decision.at],
    );
  }
  return true;
}

/** Stores what routing worked from and produced, next to the state change saveContributionState writes. */
export async function recordContributionRouting(
  tx: Queryable,
  id: string,
  input: { plan: RoutingPlan; enrichment: ContributionEnrichment; policyVersion: string; routedAt: Date },
): Promise<void> {
  await tx.query(
    `UPDATE contribution_requests SET plan = $2, enrichment = $3, effective_tier = $4, policy_version = $5, routed_at = $6 WHERE id = $1`,
    [id, JSON.stringify(input.plan), JSON.stringify(input.enrichment), input.plan.effectiveTier, input.policyVersion, input.routedAt],
  );
}

export async function hasNewerRevision(db: Queryable, id: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM contribution_requests WHERE previous_revision_id = $1', [id]);
  return rows.length > 0;
}

/** Every revision of one request, oldest first. */
export async function listRevisions(db: Queryable, chainId: string): Promise<ContributionRecord[]> {
  const { rows } = await db.query<RequestRecord>('SELECT * FROM contribution_requests WHERE chain_id = $1 ORDER BY revision', [chainId]);
  return withChildren(db, rows);
}

export async function recordGitHubAction(tx: Queryable, id: string, action: ContributionGitHubActions): Promise<void> {
  await tx.query('UPDATE contribution_requests SET github_actions = github_actions || $2::jsonb WHERE id = $1', [id, JSON.stringify(action)]);
}

/**
 * Approved requests with a linked pull request whose drift check is not
 * finished, least recently checked first. Not locked: the caller reads
 * GitHub outside any transaction and then records each check under the
 * request's row lock.
 */
export async function recordDriftCheck(tx: Queryable, id: string, input: { at: Date; done: boolean; flagged: boolean }): Promise<void> {
  await tx.query(
    `UPDATE contribution_requests
        SET drift_checked_at = $2,
            drift_done_at = CASE WHEN $3::boolean THEN $2 ELSE drift_done_at END,
            drift_flagged_at = CASE WHEN $4::boolean THEN $2 ELSE drift_flagged_at END
      WHERE id = $1`,
    [id, input.at, input.done, input.flagged],
  );
}
