import type { Queryable } from '../database.js';

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

/**
 * Adds work to the outbox inside the caller's transaction. The id is derived
 * from the domain key, so writing the same work twice is a no-op: returns
 * false when the row already existed.
 */
export async function insertOutbox(
  tx: Queryable,
  row: { id: string; jobName: string; payload: unknown; runAt?: Date },
): Promise<boolean> {
  const result = await tx.query(
    `INSERT INTO outbox (id, job_name, payload, run_at) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING`,
    [row.id, row.jobName, JSON.stringify(row.payload), row.runAt ?? new Date()],
  );
  return result.rowCount === 1;
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
