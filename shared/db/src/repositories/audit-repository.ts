import {
  GENESIS_HASH,
  auditPayloadSchema,
  computeEventHash,
  type AuditEventBody,
  type AuditEventRecord,
  type AuditPayload,
} from '@clearance/core';
import type { Queryable } from '../database.js';

export interface AuditAppend {
  actor: string;
  subjectType: string;
  subjectId: string;
  payload: AuditPayload;
  policyVersion: string | null;
  occurredAt?: Date;
}

interface AuditRow {
  seq: number;
  occurred_at: Date;
  actor: string;
  action: string;
  subject_type: string;
  subject_id: string;
  payload: unknown;
  policy_version: string | null;
  prev_hash: string;
  hash: string;
}

const toRecord = (row: AuditRow): AuditEventRecord => ({
  seq: row.seq,
  occurredAt: row.occurred_at.toISOString(),
  actor: row.actor,
  action: row.action,
  subjectType: row.subject_type,
  subjectId: row.subject_id,
  payload: row.payload,
  policyVersion: row.policy_version,
  prevHash: row.prev_hash,
  hash: row.hash,
});

/**
 * Appends one event to the chain. `tx` must be a transaction: the advisory
 * lock that serializes appenders is held until it commits, and the event
 * commits or rolls back with the change it records.
 */
export async function appendAuditEvent(tx: Queryable, input: AuditAppend): Promise<AuditEventRecord> {
  const payload = auditPayloadSchema.parse(input.payload);
  await tx.query("SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.clearance.audit'))");
  const head = await tx.query<{ seq: number; hash: string }>(
    'SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1',
  );
  const previous = head.rows[0];
  const body: AuditEventBody = {
    seq: (previous?.seq ?? 0) + 1,
    occurredAt: (input.occurredAt ?? new Date()).toISOString(),
    actor: input.actor,
    action: payload.type,
    subjectType: input.subjectType,
    subjectId: input.subjectId,
    payload,
    policyVersion: input.policyVersion,
  };
  const prevHash = previous?.hash ?? GENESIS_HASH;
  const hash = computeEventHash(prevHash, body);
  await tx.query(
    `INSERT INTO audit_events (seq, occurred_at, actor, action, subject_type, subject_id, payload, policy_version, prev_hash, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      body.seq,
      body.occurredAt,
      body.actor,
      body.action,
      body.subjectType,
      body.subjectId,
      JSON.stringify(payload),
      body.policyVersion,
      prevHash,
      hash,
    ],
  );
  return { ...body, prevHash, hash };
}

export interface AuditFilter {
  afterSeq?: number;
  untilSeq?: number;
  subjectType?: string;
  subjectId?: string;
  action?: string;
  actor?: string;
  from?: Date;
  to?: Date;
}

function whereClause(filter: AuditFilter, params: unknown[]): string {
  const conditions: string[] = [];
  const add = (sql: string, value: unknown): void => {
    params.push(value);
    conditions.push(sql.replace('?', `$${params.length}`));
  };
  add('seq > ?', filter.afterSeq ?? 0);
  if (filter.untilSeq !== undefined) add('seq <= ?', filter.untilSeq);
  if (filter.subjectType) add('subject_type = ?', filter.subjectType);
  if (filter.subjectId) add('subject_id = ?', filter.subjectId);
  if (filter.action) add('action = ?', filter.action);
  if (filter.actor) add('actor = ?', filter.actor);
  if (filter.from) add('occurred_at >= ?', filter.from);
  if (filter.to) add('occurred_at < ?', filter.to);
  return conditions.join(' AND ');
}

export async function listAuditEvents(db: Queryable, filter: AuditFilter, limit: number): Promise<AuditEventRecord[]> {
  const params: unknown[] = [];
  const where = whereClause(filter, params);
  params.push(limit);
  const { rows } = await db.query<AuditRow>(
    `SELECT * FROM audit_events WHERE ${where} ORDER BY seq LIMIT $${params.length}`,
    params,
  );
  return rows.map(toRecord);
}

/**
 * Streams events in sequence order with keyset paging, so memory stays
 * bounded by one page whatever the size of the log.
 */
export async function* streamAuditEvents(
  db: Queryable,
  filter: AuditFilter = {},
  pageSize = 2_000,
): AsyncGenerator<AuditEventRecord> {
  let afterSeq = filter.afterSeq ?? 0;
  for (;;) {
    const page = await listAuditEvents(db, { ...filter, afterSeq }, pageSize);
    yield* page;
    const last = page.at(-1);
    if (!last || page.length < pageSize) return;
    afterSeq = last.seq;
  }
}

export async function auditHead(db: Queryable): Promise<{ seq: number; hash: string } | null> {
  const { rows } = await db.query<{ seq: number; hash: string }>(
    'SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1',
  );
  return rows[0] ?? null;
}
