import type { Queryable } from '../database.js';

export type DeliveryState = 'pending' | 'held' | 'digested' | 'sent' | 'failed';

export interface DeliveryRow {
  id: string;
  eventKey: string;
  eventKind: string;
  recipient: string;
  channel: string;
  address: string | null;
  notice: unknown;
  state: DeliveryState;
  round: number;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
  sentAt: Date | null;
}

interface DeliveryRecord {
  id: string;
  event_key: string;
  event_kind: string;
  recipient: string;
  channel: string;
  address: string | null;
  notice: unknown;
  state: DeliveryState;
  round: number;
  attempts: number;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
  sent_at: Date | null;
}

const toRow = (record: DeliveryRecord): DeliveryRow => ({
  id: record.id,
  eventKey: record.event_key,
  eventKind: record.event_kind,
  recipient: record.recipient,
  channel: record.channel,
  address: record.address,
  notice: record.notice,
  state: record.state,
  round: record.round,
  attempts: record.attempts,
  lastError: record.last_error,
  createdAt: record.created_at,
  updatedAt: record.updated_at,
  sentAt: record.sent_at,
});

const columns = 'id, event_key, event_kind, recipient, channel, address, notice, state, round, attempts, last_error, created_at, updated_at, sent_at';

export interface NewDelivery {
  id: string;
  eventKey: string;
  eventKind: string;
  recipient: string;
  channel: string;
  address: string | null;
  notice: unknown;
  state: 'pending' | 'held';
}

/** Inserts deliveries; one already planned for the same (event, recipient, channel) is kept as it is. Returns the new ones. */
export async function insertDeliveries(tx: Queryable, deliveries: readonly NewDelivery[]): Promise<DeliveryRow[]> {
  const inserted: DeliveryRow[] = [];
  for (const delivery of deliveries) {
    const { rows } = await tx.query<DeliveryRecord>(
      `INSERT INTO notification_deliveries (id, event_key, event_kind, recipient, channel, address, notice, state)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT DO NOTHING RETURNING ${columns}`,
      [delivery.id, delivery.eventKey, delivery.eventKind, delivery.recipient, delivery.channel, delivery.address, JSON.stringify(delivery.notice), delivery.state],
    );
    const row = rows[0];
    if (row) inserted.push(toRow(row));
  }
  return inserted;
}

export async function findDelivery(db: Queryable, id: string, options: { forUpdate?: boolean } = {}): Promise<DeliveryRow | null> {
  const { rows } = await db.query<DeliveryRecord>(`SELECT ${columns} FROM notification_deliveries WHERE id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  const row = rows[0];
  return row ? toRow(row) : null;
}

/** Marks a pending delivery sent; false when it was not pending (another try got there first). */
export async function markDeliverySent(db: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await db.query(
    "UPDATE notification_deliveries SET state = 'sent', sent_at = now(), updated_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = $1 AND state = 'pending'",
    [id],
  );
  return rowCount === 1;
}

export async function recordDeliveryError(db: Queryable, id: string, error: string, final: boolean): Promise<DeliveryRow | null> {
  const { rows } = await db.query<DeliveryRecord>(
    `UPDATE notification_deliveries SET attempts = attempts + 1, last_error = $2, updated_at = now(),
       state = CASE WHEN $3 THEN 'failed' ELSE state END
     WHERE id = $1 AND state = 'pending' RETURNING ${columns}`,
    [id, error, final],
  );
  const row = rows[0];
  return row ? toRow(row) : null;
}

/** Puts a failed delivery back to pending for a new round of tries; null when it was not failed. */
export async function reopenFailedDelivery(tx: Queryable, id: string): Promise<DeliveryRow | null> {
  const { rows } = await tx.query<DeliveryRecord>(
    `UPDATE notification_deliveries SET state = 'pending', round = round + 1, updated_at = now() WHERE id = $1 AND state = 'failed' RETURNING ${columns}`,
    [id],
  );
  const row = rows[0];
  return row ? toRow(row) : null;
}

export async function listDeliveries(db: Queryable, filter: { state: DeliveryState }, limit: number): Promise<DeliveryRow[]> {
  const { rows } = await db.query<DeliveryRecord>(
    `SELECT ${columns} FROM notification_deliveries WHERE state = $1 ORDER BY updated_at DESC, id LIMIT $2`,
    [filter.state, limit],
  );
  return rows.map(toRow);
}

/** Held deliveries, locked for the digest that collects them. */
export async function claimHeldDeliveries(tx: Queryable, limit: number): Promise<DeliveryRow[]> {
  const { rows } = await tx.query<DeliveryRecord>(
    `SELECT ${columns} FROM notification_deliveries WHERE state = 'held' ORDER BY created_at, id LIMIT $1 FOR UPDATE SKIP LOCKED`,
    [limit],
  );
  return rows.map(toRow);
}

export async function markDigested(tx: Queryable, ids: readonly string[], digestId: string): Promise<void> {
  if (ids.length === 0) return;
  await tx.query("UPDATE notification_deliveries SET state = 'digested', digest_id = $2, updated_at = now() WHERE id = ANY($1::text[])", [ids, digestId]);
}

/** The dispatcher's place in the audit log, locked so two dispatchers never plan the same events. */
export async function lockNotificationCursor(tx: Queryable): Promise<number> {
  const { rows } = await tx.query<{ last_seq: string | number }>('SELECT last_seq FROM notification_cursor WHERE id = 1 FOR UPDATE');
  return Number(rows[0]?.last_seq ?? 0);
}

export async function advanceNotificationCursor(tx: Queryable, seq: number): Promise<void> {
  await tx.query('UPDATE notification_cursor SET last_seq = $1 WHERE id = 1', [seq]);
}

export async function emailOptOuts(db: Queryable): Promise<Set<string>> {
  const { rows } = await db.query<{ user_name: string }>('SELECT user_name FROM notification_preferences WHERE email_opt_out');
  return new Set(rows.map((row) => row.user_name));
}

export async function findEmailOptOut(db: Queryable, user: string): Promise<boolean> {
  const { rows } = await db.query<{ email_opt_out: boolean }>('SELECT email_opt_out FROM notification_preferences WHERE user_name = $1', [user]);
  return rows[0]?.email_opt_out ?? false;
}

export async function upsertEmailOptOut(tx: Queryable, user: string, optOut: boolean): Promise<void> {
  await tx.query(
    `INSERT INTO notification_preferences (user_name, email_opt_out) VALUES ($1, $2)
     ON CONFLICT (user_name) DO UPDATE SET email_opt_out = EXCLUDED.email_opt_out, updated_at = now()`,
    [user, optOut],
  );
}
