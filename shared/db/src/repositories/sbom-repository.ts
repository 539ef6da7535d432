import type { ComponentFinding, DocumentFinding, SbomFormat, SbomVerdict, Verdict, VerdictCounts } from '@clearance/core';
import type { Queryable } from '../database.js';
import { containsPattern } from '../like-pattern.js';

export type SbomStatus = 'queued' | 'evaluated' | 'failed';

export interface SbomRow {
  id: string;
  sha256: string;
  filename: string | null;
  format: SbomFormat;
  componentCount: number;
  uploadedBy: string;
  uploadedAt: Date;
  status: SbomStatus;
  evaluation: number;
  verdict: SbomVerdict | null;
  counts: VerdictCounts | null;
  /** Findings about the document itself (no components); empty until evaluated. */
  documentFindings: DocumentFinding[];
  policyVersion: string | null;
  error: { code: string; message: string; details?: unknown } | null;
  evaluatedAt: Date | null;
}

interface SbomRecord {
  id: string;
  sha256: string;
  filename: string | null;
  format: SbomFormat;
  component_count: number;
  uploaded_by: string;
  uploaded_at: Date;
  status: SbomStatus;
  evaluation: number;
  verdict: SbomVerdict | null;
  counts: VerdictCounts | null;
  document_findings: DocumentFinding[] | null;
  policy_version: string | null;
  error: SbomRow['error'];
  evaluated_at: Date | null;
}

const toRow = (record: SbomRecord): SbomRow => ({
  id: record.id,
  sha256: record.sha256,
  filename: record.filename,
  format: record.format,
  componentCount: record.component_count,
  uploadedBy: record.uploaded_by,
  uploadedAt: record.uploaded_at,
  status: record.status,
  evaluation: record.evaluation,
  verdict: record.verdict,
  counts: record.counts,
  documentFindings: record.document_findings ?? [],
  policyVersion: record.policy_version,
  error: record.error,
  evaluatedAt: record.evaluated_at,
});

/** Stores the file once per content hash. */
export async function putSbomBlob(tx: Queryable, sha256: string, content: Buffer): Promise<void> {
  await tx.query('INSERT INTO sbom_blobs (sha256, content, size_bytes) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING', [
    sha256,
    content,
    content.length,
  ]);
}

export async function getSbomBlob(db: Queryable, sha256: string): Promise<Buffer | null> {
  const { rows } = await db.query<{ content: Buffer | Uint8Array }>('SELECT content FROM sbom_blobs WHERE sha256 = $1', [sha256]);
  const content = rows[0]?.content;
  return content ? Buffer.from(content) : null;
}

export async function insertSbom(
  tx: Queryable,
  input: { id: string; sha256: string; filename: string | null; format: SbomFormat; componentCount: number; uploadedBy: string },
): Promise<SbomRow> {
  const { rows } = await tx.query<SbomRecord>(
    `INSERT INTO sboms (id, sha256, filename, format, component_count, uploaded_by, status)
     VALUES ($1, $2, $3, $4, $5, $6, 'queued') RETURNING *`,
    [input.id, input.sha256, input.filename, JSON.stringify(input.format), input.componentCount, input.uploadedBy],
  );
  const row = rows[0];
  if (!row) throw new Error('sbom insert returned no row');
  return toRow(row);
}

export async function findSbom(db: Queryable, id: string, options: { forUpdate?: boolean } = {}): Promise<SbomRow | null> {
  const { rows } = await db.query<SbomRecord>(`SELECT * FROM sboms WHERE id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  const row = rows[0];
  return row ? toRow(row) : null;
}

export async function listSboms(
  db: Queryable,
  filter: { uploadedBy?: string; limit: number; before?: { uploadedAt: Date; id: string } },
): Promise<SbomRow[]> {
  const params: unknown[] = [];
  const conditions: string[] = [];
  if (filter.uploadedBy) {
    params.push(filter.uploadedBy);
    conditions.push(`uploaded_by = $${params.length}`);
  }
  if (filter.before) {
    params.push(filter.before.uploadedAt, filter.before.id);
    conditions.push(`(uploaded_at, id) < ($${params.length - 1}, $${params.length})`);
  }
  params.push(filter.limit);
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  const { rows } = await db.query<SbomRecord>(
    `SELECT * FROM sboms ${where} ORDER BY uploaded_at DESC, id DESC LIMIT $${params.length}`,
    params,
  );
  return rows.map(toRow);
}

/** Puts an SBOM back in the queue for evaluation number `evaluation`. */
export async function requeueSbom(tx: Queryable, id: string): Promise<number> {
  const { rows } = await tx.query<{ evaluation: number }>(
    "UPDATE sboms SET status = 'queued', evaluation = evaluation + 1 WHERE id = $1 RETURNING evaluation",
    [id],
  );
  const row = rows[0];
  if (!row) throw new Error(`no sbom ${id}`);
  return row.evaluation;
}

const findingBatchSize = 500;

/** Replaces the findings with those of the evaluation just done, in batches (one statement per batch). */
export async function replaceFindings(
  tx: Queryable,
  sbomId: string,
  findings: readonly ComponentFinding[],
  afterBatch?: () => Promise<void>,
): Promise<void> {
  await tx.query('DELETE FROM sbom_findings WHERE sbom_id = $1', [sbomId]);
  for (let start = 0; start < findings.length; start += findingBatchSize) {
    const batch = findings.slice(start, start + findingBatchSize);
    await tx.query(
      `INSERT INTO sbom_findings (sbom_id, idx, name, purl, verdict, finding)
       SELECT $1, start_idx + ordinality - 1, f->>'name', f->>'purl', f->>'verdict', f
       FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS t(f, ordinality), (SELECT $3::int AS start_idx) s`,
      [sbomId, JSON.stringify(batch), start],
    );
    await afterBatch?.();
  }
}

export async function completeSbomEvaluation(
  tx: Queryable,
  input: { id: string; verdict: SbomVerdict; counts: VerdictCounts; documentFindings: readonly DocumentFinding[]; policyVersion: string },
): Promise<void> {
  await tx.query(
    `UPDATE sboms SET status = 'evaluated', verdict = $2, counts = $3, policy_version = $4, document_findings = $5, error = NULL, evaluated_at = now()
     WHERE id = $1`,
    [input.id, input.verdict, JSON.stringify(input.counts), input.policyVersion, JSON.stringify(input.documentFindings)],
  );
}

export async function failSbomEvaluation(
  tx: Queryable,
  input: { id: string; error: { code: string; message: string; details?: unknown }; policyVersion: string },
): Promise<void> {
  await tx.query(
    `UPDATE sboms SET status = 'failed', verdict = NULL, counts = NULL, document_findings = '[]', policy_version = $3, error = $2, evaluated_at = now()
     WHERE id = $1`,
    [input.id, JSON.stringify(input.error), input.policyVersion],
  );
}

export interface FindingPage {
  items: Array<ComponentFinding & { index: number }>;
  /** In component order the index of the last item; in another order its sort key and index. */
  nextCursor: number | FindingKeyset | null;
}

/**
 * Component order (the SBOM's own), by name, or by severity (deny, review,
 * allow). Paging is by keyset (sort key, index), so page 100 of a 10k-row
 * SBOM costs what page 1 does and rows never shift between pages.
 */
export type FindingSort = 'index' | 'name' | 'severity';
export interface FindingKeyset {
  key: string | number;
  index: number;
}

const sortKeyOf: Record<Exclude<FindingSort, 'index'>, string> = {
  name: 'lower(name)',
  severity: "CASE verdict WHEN 'deny' THEN 0 WHEN 'review' THEN 1 ELSE 2 END",
};

export async function listFindings(
  db: Queryable,
  input: { sbomId: string; verdict?: Verdict; search?: string; after?: number | FindingKeyset; limit: number; sort?: FindingSort },
): Promise<FindingPage> {
  const sort = input.sort ?? 'index';
  const params: unknown[] = [input.sbomId];
  let where = 'sbom_id = $1';
  const key = sort === 'index' ? null : sortKeyOf[sort];
  if (key === null) {
    params.push(typeof input.after === 'number' ? input.after : -1);
    where += ` AND idx > $${params.length}`;
  } else if (input.after !== undefined && typeof input.after !== 'number') {
    params.push(sort === 'severity' ? Number(input.after.key) : String(input.after.key), input.after.index);
    where += ` AND (${key}, idx) > ($${params.length - 1}${sort === 'severity' ? '::int' : '::text'}, $${params.length})`;
  }
  if (input.verdict) {
    params.push(input.verdict);
    where += ` AND verdict = $${params.length}`;
  }
  if (input.search) {
    params.push(containsPattern(input.search));
    where += ` AND (name ILIKE $${params.length} OR purl ILIKE $${params.length})`;
  }
  params.push(input.limit + 1);
  const { rows } = await db.query<{ idx: number; finding: ComponentFinding; sort_key: string | number | null }>(
    `SELECT idx, finding, ${key ?? 'NULL'} AS sort_key FROM sbom_findings WHERE ${where} ORDER BY ${key === null ? '' : `${key}, `}idx LIMIT $${params.length}`,
    params,
  );
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  const more = rows.length > input.limit && last !== undefined;
  return {
    items: page.map((row) => ({ index: row.idx, ...row.finding })),
    nextCursor: !more ? null : key === null ? last.idx : { key: last.sort_key ?? '', index: last.idx },
  };
}
