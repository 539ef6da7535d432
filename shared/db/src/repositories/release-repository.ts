import type { ObligationComponent, ObligationEvidence, ObligationState } from '@clearance/core';
import type { Queryable } from '../database.js';

export interface ReleaseObligationRow {
  key: string;
  obligation: string;
  title: string;
  license: string;
  source: string;
  description: string;
  components: ObligationComponent[];
  state: ObligationState;
  evidence: ObligationEvidence | null;
  reason: string | null;
  updatedBy: string | null;
  updatedAt: string | null;
}

export interface ReleaseRow {
  id: string;
  name: string;
  version: string;
  sbomId: string;
  sbomEvaluation: number;
  noticeSha256: string;
  status: 'open' | 'cleared';
  createdBy: string;
  createdAt: string;
  clearedAt: string | null;
  policyVersion: string;
}

interface ReleaseRecord {
  id: string;
  name: string;
  version: string;
  sbom_id: string;
  sbom_evaluation: number;
  notice_sha256: string;
  status: 'open' | 'cleared';
  created_by: string;
  created_at: Date;
  cleared_at: Date | null;
  policy_version: string;
}

interface ObligationRecord {
  key: string;
  obligation: string;
  title: string;
  license: string;
  source: string;
  description: string;
  components: ObligationComponent[];
  state: ObligationState;
  evidence: ObligationEvidence | null;
  reason: string | null;
  updated_by: string | null;
  updated_at: Date | null;
}

const toRelease = (record: ReleaseRecord): ReleaseRow => ({
  id: record.id,
  name: record.name,
  version: record.version,
  sbomId: record.sbom_id,
  sbomEvaluation: record.sbom_evaluation,
  noticeSha256: record.notice_sha256,
  status: record.status,
  createdBy: record.created_by,
  createdAt: record.created_at.toISOString(),
  clearedAt: record.cleared_at?.toISOString() ?? null,
  policyVersion: record.policy_version,
});

const toObligation = (record: ObligationRecord): ReleaseObligationRow => ({
  key: record.key,
  obligation: record.obligation,
  title: record.title,
  license: record.license,
  source: record.source,
  description: record.description,
  components: record.components,
  state: record.state,
  evidence: record.evidence,
  reason: record.reason,
  updatedBy: record.updated_by,
  updatedAt: record.updated_at?.toISOString() ?? null,
});

export type NewReleaseObligation = Pick<ReleaseObligationRow, 'key' | 'obligation' | 'title' | 'license' | 'source' | 'description' | 'components'>;

/** Inserts the release and its checklist; null when a release of that name and version exists. */
export async function insertRelease(
  tx: Queryable,
  release: Omit<ReleaseRow, 'status' | 'createdAt' | 'clearedAt'>,
  obligations: readonly NewReleaseObligation[],
): Promise<ReleaseRow | null> {
  const { rows } = await tx.query<ReleaseRecord>(
    `INSERT INTO releases (id, name, version, sbom_id, sbom_evaluation, notice_sha256, status, created_by, policy_version)
     VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8) ON CONFLICT (name, version) DO NOTHING RETURNING *`,
    [release.id, release.name, release.version, release.sbomId, release.sbomEvaluation, release.noticeSha256, release.createdBy, release.policyVersion],
  );
  const row = rows[0];
  if (!row) return null;
  if (obligations.length > 0) {
    await tx.query(
      `INSERT INTO release_obligations (release_id, key, position, obligation, title, license, source, description, components, state)
       SELECT $1, item->>'key', (ord - 1)::int, item->>'obligation', item->>'title', item->>'license', item->>'source', item->>'description', item->'components', 'open'
       FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS t(item, ord)`,
      [release.id, JSON.stringify(obligations)],
    );
  }
  return toRelease(row);
}

export async function findRelease(db: Queryable, id: string, options: { forUpdate?: boolean } = {}): Promise<ReleaseRow | null> {
  const { rows } = await db.query<ReleaseRecord>(`SELECT * FROM releases WHERE id = $1${options.forUpdate === true ? ' FOR UPDATE' : ''}`, [id]);
  const row = rows[0];
  return row ? toRelease(row) : null;
}

export async function findReleaseByNameVersion(db: Queryable, name: string, version: string): Promise<ReleaseRow | null> {
  const { rows } = await db.query<ReleaseRecord>('SELECT * FROM releases WHERE name = $1 AND version = $2', [name, version]);
  const row = rows[0];
  return row ? toRelease(row) : null;
}

export async function listReleaseObligations(db: Queryable, releaseId: string): Promise<ReleaseObligationRow[]> {
  const { rows } = await db.query<ObligationRecord>('SELECT * FROM release_obligations WHERE release_id = $1 ORDER BY position', [releaseId]);
  return rows.map(toObligation);
}

/** Newest first. */
export async function listReleases(db: Queryable, filter: { status?: 'open' | 'cleared'; limit: number }): Promise<Array<ReleaseRow & { open: number; total: number }>> {
  const { rows } = await db.query<ReleaseRecord & { open: number; total: number }>(
    `SELECT r.*,
            (SELECT count(*)::int FROM release_obligations o WHERE o.release_id = r.id AND o.state = 'open') AS open,
            (SELECT count(*)::int FROM release_obligations o WHERE o.release_id = r.id) AS total
     FROM releases r WHERE ($1::text IS NULL OR r.status = $1) ORDER BY r.created_at DESC, r.id DESC LIMIT $2`,
    [filter.status ?? null, filter.limit],
  );
  return rows.map((row) => ({ ...toRelease(row), open: row.open, total: row.total }));
}

export async function updateReleaseObligation(
  tx: Queryable,
  input: { releaseId: string; key: string; state: 'fulfilled' | 'waived'; evidence: ObligationEvidence | null; reason: string | null; by: string },
): Promise<ReleaseObligationRow | null> {
  const { rows } = await tx.query<ObligationRecord>(
    `UPDATE release_obligations SET state = $3, evidence = $4::jsonb, reason = $5, updated_by = $6, updated_at = now()
     WHERE release_id = $1 AND key = $2 RETURNING *`,
    [input.releaseId, input.key, input.state, input.evidence === null ? null : JSON.stringify(input.evidence), input.reason, input.by],
  );
  const row = rows[0];
  return row ? toObligation(row) : null;
}

export async function markReleaseCleared(tx: Queryable, releaseId: string): Promise<void> {
  await tx.query("UPDATE releases SET status = 'cleared', cleared_at = now() WHERE id = $1", [releaseId]);
}
