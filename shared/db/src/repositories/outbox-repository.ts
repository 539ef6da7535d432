import type { Queryable } from '../database.js';
import { unnestInsert, type UnnestInsert } from '../unnest-insert.js';

export interface OutboxRow {
  id: string;
  jobName: string;
  payload: unknown;
  runAt: Date;
  attempts: number;
}

interface OutboxRecord {
  id: string;
  job_name: string;
  payload: unknown;
  run_at: Date;
  attempts: number;
}

export interface NewOutboxRow {
  id: string;
  jobName: string;
  payload: unknown;
  runAt?: Date;
}

/**
 * The insert of outbox rows as one statement. The id is derived from the
 * domain key, so writing the same work twice is a no-op.
 */
export function outboxInsert(rows: readonly NewOutboxRow[]): UnnestInsert {
  const now = new Date();
  return {
    table: 'outbox',
    columns: [
      ['id', 'text'],
      ['job_name', 'text'],
      ['payload', 'jsonb'],
      ['run_at', 'timestamptz'],
    ],
    rows: rows.map((row) => [row.id, row.jobName, JSON.stringify(row.payload), row.runAt ?? now]),
    suffix: 'ON CONFLICT (id) DO NOTHING RETURNING id',
  };
}

/** Adds work to the outbox inside the caller's transaction; returns the ids of the rows that were new. */
export async function insertOutbox(tx: Queryable, rows: readonly NewOutboxRow[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const insert = unnestInsert(outboxInsert(rows));
  const result = await tx.query<{ id: string }>(insert.text, insert.values);
  return new Set(result.rows.map((row) => row.id));
}

/**
 * Claims undelivered rows for this transaction; SKIP LOCKED lets several
 * relays (API and worker processes) run without taking the same rows.
 */
export async function claimPendingOutbox(tx: Queryable, limit: number): Promise<OutboxRow[]> {
  const { rows } = await tx.query<OutboxRecord>(
    `SELECT id, job_name, payload, run_at, attempts FROM outbox
     WHERE delivered_at IS NULL ORDER BY created_at, id LIMIT $1 FOR UPDATE SKIP LOCKED`,
    [limit],
  );
  return rows.map((record) => ({
    id: record.id,
    jobName: record.job_name,
    payload: record.payload,
    runAt: record.run_at,
    attempts: record.attempts,
  }));
}

/** Takes rows out of the outbox; `error` records why a row was dropped instead of delivered. */
export async function markOutboxDelivered(tx: Queryable, ids: readonly string[], error: string | null = null): Promise<void> {
  if (ids.length === 0) return;
  await tx.query('UPDATE outbox SET delivered_at = now(), attempts = attempts + 1, last_error = $2 WHERE id = ANY($1)', [
    ids,
    error,
  ]);
}

export async function countPendingOutbox(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ count: number }>(
    'SELECT count(*)::int AS count FROM outbox WHERE delivered_at IS NULL',
  );
  return rows[0]?.count ?? 0;
}

/** How long the oldest undelivered row has waited, in milliseconds; null when the outbox is empty. */
export async function oldestPendingOutboxAgeMs(db: Queryable): Promise<number | null> {
  const { rows } = await db.query<{ age_ms: number | null }>(
    'SELECT (extract(epoch FROM now() - min(created_at)) * 1000)::float8 AS age_ms FROM outbox WHERE delivered_at IS NULL',
  );
  return rows[0]?.age_ms ?? null;
}
