import {
  contributionEnrichmentSchema,
  isOpenStatus,
  pullRequestRefSchema,
  routingPlanSchema,
  type ContributionEnrichment,
  type ContributionHistory,
  type ContributionState,
  type ContributionStatus,
  type ContributionTier,
  type DecisionRecord,
  type PullRequestRef,
  type ReviewerRole,
  type Role,
  type RoutingPlan,
  type StageState,
} from '@clearance/core';
import type { Queryable } from '../database.js';
import type { UnnestInsert } from '../unnest-insert.js';

/** What Clearance did on GitHub for a request, kept so a retried job does each thing once. */
export interface ContributionGitHubActions {
  comment?: { id: number; url: string; owner: string; repo: string; number: number };
  repository?: { org: string; name: string; url: string; license: string | null; created: boolean };
}

/** One revision of a contribution request with everything stored about it. */
export interface ContributionRecord {
  /** The state the decision rules work on (stages and decisions included). */
  state: ContributionState;
  chainId: string;
  title: string;
  /** The validated request in its input form; parse it with contributionRequestInputSchema. */
  input: unknown;
  upstreamKey: string | null;
  pullRequest: PullRequestRef | null;
  effectiveTier: ContributionTier | null;
  plan: RoutingPlan | null;
  enrichment: ContributionEnrichment | null;
  policyVersion: string | null;
  createdAt: Date;
  routedAt: Date | null;
  decidedAt: Date | null;
  githubActions: ContributionGitHubActions;
  driftFlaggedAt: Date | null;
}

interface RequestRecord {
  id: string;
  chain_id: string;
  revision: number;
  previous_revision_id: string | null;
  requester: string;
  tier: ContributionTier;
  title: string;
  input: unknown;
  upstream_key: string | null;
  pull_request: unknown;
  status: ContributionStatus;
  current_stage: number | null;
  effective_tier: ContributionTier | null;
  plan: unknown;
  enrichment: unknown;
  auto_outcome: { rule: string; reason: string | null } | null;
  policy_version: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  routed_at: Date | null;
  decided_at: Date | null;
  github_actions: ContributionGitHubActions;
  drift_flagged_at: Date | null;
}

interface StageRecord {
  request_id: string;
  idx: number;
  roles: ReviewerRole[];
  escalated_roles: ReviewerRole[];
  approvals: number;
  due_in_working_days: number;
  rule: string;
  reason: string;
  status: StageState['status'];
  started_at: Date | null;
  due_at: Date | null;
  escalated_at: Date | null;
}

interface DecisionRow {
  request_id: string;
  ordinal: number;
  stage_index: number;
  decision: DecisionRecord['decision'];
  decided_by: string;
  as_roles: Role[];
  reason: string | null;
  decided_at: Date;
}

const toStage = (record: StageRecord): StageState => ({
  index: record.idx,
  roles: record.roles,
  escalatedRoles: record.escalated_roles,
  approvals: record.approvals,
  dueInWorkingDays: record.due_in_working_days,
  rule: record.rule,
  reason: record.reason,
  status: record.status,
  startedAt: record.started_at,
  dueAt: record.due_at,
  escalatedAt: record.escalated_at,
});

const toDecision = (row: DecisionRow): DecisionRecord => ({
  stageIndex: row.stage_index,
  decision: row.decision,
  by: row.decided_by,
  asRoles: row.as_roles,
  reason: row.reason,
  at: row.decided_at,
});

const toRecord = (row: RequestRecord, stages: StageState[], decisions: DecisionRecord[]): ContributionRecord => ({
  state: {
    id: row.id,
    revision: row.revision,
    previousRevisionId: row.previous_revision_id,
    requester: row.requester,
    tier: row.tier,
    status: row.status,
    currentStage: row.current_stage,
    stages,
    decisions,
    autoOutcome: row.auto_outcome,
    version: row.version,
    updatedAt: row.updated_at,
  },
  chainId: row.chain_id,
  title: row.title,
  input: row.input,
  upstreamKey: row.upstream_key,
  // The JSON columns are written by this module from validated values; parsing
  // them again keeps a hand-edited row from reaching the domain unnoticed.
  pullRequest: row.pull_request === null ? null : pullRequestRefSchema.parse(row.pull_request),
  effectiveTier: row.effective_tier,
  plan: row.plan === null ? null : routingPlanSchema.parse(row.plan),
  enrichment: row.enrichment === null ? null : contributionEnrichmentSchema.parse(row.enrichment),
  policyVersion: row.policy_version,
  createdAt: row.created_at,
  routedAt: row.routed_at,
  decidedAt: row.decided_at,
  githubActions: row.github_actions,
  driftFlaggedAt: row.drift_flagged_at,
});

/** Attaches stages and decisions to request rows with two queries, whatever the number of rows. */
async function withChildren(db: Queryable, rows: readonly RequestRecord[]): Promise<ContributionRecord[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const stages = await db.query<StageRecord>('SELECT * FROM contribution_stages WHERE request_id = ANY($1) ORDER BY request_id, idx', [ids]);
  const decisions = await db.query<DecisionRow>(
    'SELECT * FROM contribution_decisions WHERE request_id = ANY($1) ORDER BY request_id, ordinal',
    [ids],
  );
  const stagesOf = new Map<string, StageState[]>();
  for (const stage of stages.rows) {
    const list = stagesOf.get(stage.request_id) ?? [];
    list.push(toStage(stage));
    stagesOf.set(stage.request_id, list);
  }
  const decisionsOf = new Map<string, DecisionRecord[]>();
  for (const decision of decisions.rows) {
    const list = decisionsOf.get(decision.request_id) ?? [];
    list.push(toDecision(decision));
    decisionsOf.set(decision.request_id, list);
  }
  return rows.map((row) => toRecord(row, stagesOf.get(row.id) ?? [], decisionsOf.get(row.id) ?? []));
}

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
export async function listReviewQueue(
  db: Queryable,
  input: { roles: readonly string[]; excludeRequester: string; limit: number },
): Promise<ContributionRecord[]> {
  const { rows } = await db.query<RequestRecord>(
    `SELECT r.* FROM contribution_requests r
       JOIN contribution_stages s ON s.request_id = r.id AND s.idx = r.current_stage
      WHERE r.status = 'in-review' AND s.status = 'pending'
        AND (s.roles || s.escalated_roles) && $1::text[]
        AND r.requester <> $2
      ORDER BY s.started_at, r.created_at, r.id
      LIMIT $3`,
    [[...input.roles], input.excludeRequester, input.limit],
  );
  return withChildren(db, rows);
}

/** Past outcomes, grouped as a reviewer reads them: auto-approvals count as approvals, auto-rejections as rejections. */
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
export async function recordGitHubAction(tx: Queryable, id: string, action: ContributionGitHubActions): Promise<void> {
  await tx.query('UPDATE contribution_requests SET github_actions = github_actions || $2::jsonb WHERE id = $1', [id, JSON.stringify(action)]);
}

/**
 * Approved requests with a linked pull request whose drift check is not
 * finished, least recently checked first. Not locked: the caller reads
 * GitHub outside any transaction and then records each check under the
 * request's row lock.
 */
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
