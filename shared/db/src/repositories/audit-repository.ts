import {
  GENESIS_HASH,
  auditPayloadSchema,
  linkEvents,
  type AuditEventBody,
  type AuditEventRecord,
  type AuditPayload,
} from '@clearance/core';
import type { Queryable } from '../database.js';
import { containsPattern } from '../like-pattern.js';
import { unnestInserts, type UnnestInsert } from '../unnest-insert.js';

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
  /** ISO 8601 in UTC with milliseconds, as `Date.prototype.toISOString` writes it (see auditColumns). */
  occurred_at: string;
  actor: string;
  action: string;
  subject_type: string;
  subject_id: string;
  payload: unknown;
  policy_version: string | null;
  prev_hash: string;
  hash: string;
}

/**
 * The columns of an event as records need them. `occurred_at` comes as the
 * text the hash was computed over (events are written with millisecond
 * times), formatted by PostgreSQL: a full verification no longer turns a
 * million timestamps into `Date`s and back into strings.
 */
const auditColumns = `seq, to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS occurred_at,
  actor, action, subject_type, subject_id, payload, policy_version, prev_hash, hash`;

const toRecord = (row: AuditRow): AuditEventRecord => ({
  seq: row.seq,
  occurredAt: row.occurred_at,
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
  const [record] = await appendAuditEvents(tx, [input]);
  if (!record) throw new Error('appending an audit event returned nothing');
  return record;
}

/**
 * Takes the chain's lock, held until `tx` ends, and returns the head as it is
 * then (null for an empty chain): nothing can be appended after it meanwhile.
 * One round trip (see migration 0007).
 */
export async function lockAuditChain(tx: Queryable): Promise<{ seq: number; hash: string } | null> {
  const { rows } = await tx.query<{ seq: number; hash: string }>('SELECT head_seq AS seq, head_hash AS hash FROM audit_chain_lock_head()');
  return rows[0] ?? null;
}

/**
 * Appends events in order, under one lock and with one insert: a batch of
 * submissions holds the chain's lock no longer than a single one does, and a
 * bulk load appends thousands per statement. `alongside` are inserts to make
 * in that same statement (the changes the events record): one round trip for
 * all of them, made while the lock is held.
 */
export async function appendAuditEvents(
  tx: Queryable,
  inputs: readonly AuditAppend[],
  alongside: readonly UnnestInsert[] = [],
): Promise<AuditEventRecord[]> {
  if (inputs.length === 0) {
    if (alongside.length > 0) {
      const statement = unnestInserts(alongside);
      await tx.query(statement.text, statement.values);
    }
    return [];
  }
  const parsed = inputs.map((input) => ({ input, payload: auditPayloadSchema.parse(input.payload) }));
  const previous = await lockAuditChain(tx);
  const now = new Date();
  const bodies = parsed.map(
    ({ input, payload }, i): AuditEventBody => ({
      seq: (previous?.seq ?? 0) + i + 1,
      occurredAt: (input.occurredAt ?? now).toISOString(),
      actor: input.actor,
      action: payload.type,
      subjectType: input.subjectType,
      subjectId: input.subjectId,
      payload,
      policyVersion: input.policyVersion,
    }),
  );
  const records = [...linkEvents(bodies, previous?.hash ?? GENESIS_HASH)];
  const events: UnnestInsert = {
    table: 'audit_events',
    columns: [
      ['seq', 'bigint'],
      ['occurred_at', 'timestamptz'],
      ['actor', 'text'],
      ['action', 'text'],
      ['subject_type', 'text'],
      ['subject_id', 'text'],
      ['payload', 'jsonb'],
      ['policy_version', 'text'],
      ['prev_hash', 'text'],
      ['hash', 'text'],
    ],
    rows: records.map((record) => [
      record.seq,
      record.occurredAt,
      record.actor,
      record.action,
      record.subjectType,
      record.subjectId,
      JSON.stringify(record.payload),
      record.policyVersion,
      record.prevHash,
      record.hash,
    ]),
  };
  const statement = unnestInserts([...alongside, events]);
  await tx.query(statement.text, statement.values);
  return records;
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
  /** Events of contribution requests of this tier. */
  tier?: string;
  /** Events of contribution requests to an upstream whose `host/owner/repo` contains this text. */
  upstream?: string;
  /** A decision, outcome or verdict: approve, reject, approved, rejected, pass, fail, auto-approved, ... */
  outcome?: string;
  /** Events whose payload holds this SPDX id (or any string) as a value, anywhere. */
  license?: string;
}

function whereClause(filter: AuditFilter, params: unknown[]): string {
  const conditions: string[] = [];
  // `:v` stands for the value in each condition (it may appear several times).
  const add = (sql: string, value: unknown): void => {
    params.push(value);
    conditions.push(sql.replaceAll(':v', `$${params.length}`));
  };
  add('seq > :v', filter.afterSeq ?? 0);
  if (filter.untilSeq !== undefined) add('seq <= :v', filter.untilSeq);
  if (filter.subjectType) add('subject_type = :v', filter.subjectType);
  if (filter.subjectId) add('subject_id = :v', filter.subjectId);
  if (filter.action) add('action = :v', filter.action);
  if (filter.actor) add('actor = :v', filter.actor);
  if (filter.from) add('occurred_at >= :v', filter.from);
  if (filter.to) add('occurred_at < :v', filter.to);
  // A request's tier and upstream are stated once, when it is submitted;
  // every later event of the request is found through that one.
  if (filter.tier) {
    add("subject_id IN (SELECT subject_id FROM audit_events WHERE action = 'contribution.submitted' AND payload->>'tier' = :v)", filter.tier);
  }
  if (filter.upstream) {
    add(
      "subject_id IN (SELECT subject_id FROM audit_events WHERE action = 'contribution.submitted' AND payload->>'upstream' ILIKE :v)",
      containsPattern(filter.upstream),
    );
  }
  if (filter.outcome) {
    add(
      "(payload->>'decision' = :v OR payload->>'outcome' = :v OR payload->>'verdict' = :v OR action = 'contribution.' || :v)",
      filter.outcome,
    );
  }
  if (filter.license) {
    add("jsonb_path_exists(payload, '$.** ? (@ == $value)', jsonb_build_object('value', :v::text))", filter.license);
  }
  return conditions.join(' AND ');
}

export async function listAuditEvents(db: Queryable, filter: AuditFilter, limit: number): Promise<AuditEventRecord[]> {
  const params: unknown[] = [];
  const where = whereClause(filter, params);
  params.push(limit);
  const { rows } = await db.query<AuditRow>(
    `SELECT ${auditColumns} FROM audit_events WHERE ${where} ORDER BY seq LIMIT $${params.length}`,
    params,
  );
  return rows.map(toRecord);
}

/**
 * Streams events in sequence order with keyset paging, so memory stays
 * bounded by two pages whatever the size of the log. The next page is asked
 * for before the current one is handed out, so the database reads it while
 * the consumer (hashing, writing a bundle) works.
 */
export async function* streamAuditEvents(
  db: Queryable,
  filter: AuditFilter = {},
  pageSize = 2_000,
): AsyncGenerator<AuditEventRecord> {
  const pageAfter = (afterSeq: number): Promise<AuditEventRecord[]> => listAuditEvents(db, { ...filter, afterSeq }, pageSize);
  let page = await pageAfter(filter.afterSeq ?? 0);
  for (;;) {
    const last = page.at(-1);
    const next = last !== undefined && page.length === pageSize ? pageAfter(last.seq) : null;
    try {
      yield* page;
    } finally {
      // A consumer that stops early leaves the read in flight; its failure must not go unhandled.
      next?.catch(() => undefined);
    }
    if (next === null) return;
    page = await next;
  }
}

export async function auditHead(db: Queryable): Promise<{ seq: number; hash: string } | null> {
  const { rows } = await db.query<{ seq: number; hash: string }>(
    'SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1',
  );
  return rows[0] ?? null;
}

/** The first and last sequence numbers matching a filter (time range or subject), or null when none match. */
export async function auditSeqRange(db: Queryable, filter: AuditFilter): Promise<{ first: number; last: number } | null> {
  const params: unknown[] = [];
  const where = whereClause(filter, params);
  const { rows } = await db.query<{ first: number | null; last: number | null }>(
    `SELECT min(seq)::bigint AS first, max(seq)::bigint AS last FROM audit_events WHERE ${where}`,
    params,
  );
  const row = rows[0];
  return row?.first != null && row.last != null ? { first: row.first, last: row.last } : null;
}

export async function auditEventAt(db: Queryable, seq: number): Promise<AuditEventRecord | null> {
  const { rows } = await db.query<AuditRow>(`SELECT ${auditColumns} FROM audit_events WHERE seq = $1`, [seq]);
  const row = rows[0];
  return row ? toRecord(row) : null;
}

/** The policy versions named by events in a sequence range. */
export async function policyVersionsBetween(db: Queryable, first: number, last: number): Promise<string[]> {
  const { rows } = await db.query<{ version: string }>(
    'SELECT DISTINCT policy_version AS version FROM audit_events WHERE seq BETWEEN $1 AND $2 AND policy_version IS NOT NULL ORDER BY 1',
    [first, last],
  );
  return rows.map((row) => row.version);
}
