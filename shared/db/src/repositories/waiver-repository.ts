import type { Verdict, Waiver } from '@clearance/core';
import type { Queryable } from '../database.js';

export interface WaiverRow extends Waiver {
  grantedBy: string;
  grantedAt: string;
  revokedBy: string | null;
  revokeReason: string | null;
}

interface WaiverRecord {
  id: string;
  purl: string;
  match: Waiver['scope']['match'];
  license_expression: string | null;
  verdict: Verdict;
  justification: string;
  granted_by: string;
  granted_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  revoked_by: string | null;
  revoke_reason: string | null;
}

const toRow = (record: WaiverRecord): WaiverRow => ({
  id: record.id,
  scope: {
    purl: record.purl,
    match: record.match,
    ...(record.license_expression === null ? {} : { licenseExpression: record.license_expression }),
  },
  verdict: record.verdict,
  justification: record.justification,
  expiresAt: record.expires_at.toISOString(),
  revokedAt: record.revoked_at?.toISOString() ?? null,
  grantedBy: record.granted_by,
  grantedAt: record.granted_at.toISOString(),
  revokedBy: record.revoked_by,
  revokeReason: record.revoke_reason,
});

export async function insertWaiver(tx: Queryable, waiver: Omit<Waiver, 'revokedAt'> & { grantedBy: string }): Promise<WaiverRow> {
  const { rows } = await tx.query<WaiverRecord>(
    `INSERT INTO waivers (id, purl, match, license_expression, verdict, justification, granted_by, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
    [
      waiver.id,
      waiver.scope.purl,
      waiver.scope.match,
      waiver.scope.licenseExpression ?? null,
      waiver.verdict,
      waiver.justification,
      waiver.grantedBy,
      waiver.expiresAt,
    ],
  );
  const row = rows[0];
  if (!row) throw new Error('waiver insert returned no row');
  return toRow(row);
}

export async function findWaiver(db: Queryable, id: string, options: { forUpdate?: boolean } = {}): Promise<WaiverRow | null> {
  const { rows } = await db.query<WaiverRecord>(`SELECT * FROM waivers WHERE id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  const row = rows[0];
  return row ? toRow(row) : null;
}

/** Every waiver that is not revoked, expired ones included: evaluation reports an expired match. */
export async function listUnrevokedWaivers(db: Queryable): Promise<WaiverRow[]> {
  const { rows } = await db.query<WaiverRecord>('SELECT * FROM waivers WHERE revoked_at IS NULL ORDER BY id');
  return rows.map(toRow);
}

export async function listWaivers(db: Queryable, filter: { state?: 'active' | 'expired' | 'revoked'; now: Date }): Promise<WaiverRow[]> {
  const conditions: Record<string, string> = {
    active: 'revoked_at IS NULL AND expires_at > $1',
    expired: 'revoked_at IS NULL AND expires_at <= $1',
    // Names $1 too: PostgreSQL refuses a parameter that no clause uses (its type is unknown).
    revoked: 'revoked_at IS NOT NULL AND $1::timestamptz IS NOT NULL',
  };
  const where = filter.state ? `WHERE ${conditions[filter.state]}` : 'WHERE $1::timestamptz IS NOT NULL';
  const { rows } = await db.query<WaiverRecord>(`SELECT * FROM waivers ${where} ORDER BY granted_at DESC, id`, [filter.now]);
  return rows.map(toRow);
}

export async function revokeWaiver(tx: Queryable, input: { id: string; revokedBy: string; reason: string }): Promise<void> {
  await tx.query('UPDATE waivers SET revoked_at = now(), revoked_by = $2, revoke_reason = $3 WHERE id = $1', [
    input.id,
    input.revokedBy,
    input.reason,
  ]);
}

/** Claims expired waivers whose expiry has no audit event yet (the sweep writes one per waiver). */
export async function claimUnrecordedExpiries(tx: Queryable, now: Date, limit: number): Promise<WaiverRow[]> {
  const { rows } = await tx.query<WaiverRecord>(
    `SELECT * FROM waivers WHERE revoked_at IS NULL AND expiry_recorded_at IS NULL AND expires_at <= $1
     ORDER BY expires_at, id LIMIT $2 FOR UPDATE SKIP LOCKED`,
    [now, limit],
  );
  return rows.map(toRow);
}

export async function markExpiryRecorded(tx: Queryable, id: string): Promise<void> {
  await tx.query('UPDATE waivers SET expiry_recorded_at = now() WHERE id = $1', [id]);
}
