import type { Queryable } from '../database.js';

/** An audit event as the live stream tells it: what changed, not the payload, with the owner of its subject. */
export interface AuditChange {
  seq: number;
  occurredAt: string;
  action: string;
  subjectType: string;
  subjectId: string;
  /** The requester of a contribution or the uploader of an SBOM, who may see its changes without a reading role. */
  owner: string | null;
}

interface AuditChangeRow {
  seq: number;
  occurred_at: string;
  action: string;
  subject_type: string;
  subject_id: string;
  owner: string | null;
}

/** The events after `afterSeq`, oldest first, with their subjects' owners looked up in the same query. */
export async function auditChangesAfter(db: Queryable, afterSeq: number, limit: number): Promise<AuditChange[]> {
  const { rows } = await db.query<AuditChangeRow>(
    `SELECT a.seq, to_char(a.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS occurred_at,
            a.action, a.subject_type, a.subject_id,
            CASE a.subject_type WHEN 'contribution' THEN c.requester WHEN 'sbom' THEN s.uploaded_by END AS owner
       FROM audit_events a
       LEFT JOIN contribution_requests c ON a.subject_type = 'contribution' AND c.id = a.subject_id
       LEFT JOIN sboms s ON a.subject_type = 'sbom' AND s.id = a.subject_id
      WHERE a.seq > $1
      ORDER BY a.seq
      LIMIT $2`,
    [afterSeq, limit],
  );
  return rows.map((row) => ({
    seq: row.seq,
    occurredAt: row.occurred_at,
    action: row.action,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    owner: row.owner,
  }));
}

/** The sequence number of the newest event, 0 for an empty log. */
export async function auditHeadSeq(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ seq: number | null }>('SELECT max(seq) AS seq FROM audit_events');
  return rows[0]?.seq ?? 0;
}
