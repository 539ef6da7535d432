import { createHash, randomBytes } from 'node:crypto';
import { roleSchema, type Role } from '@clearance/core';
import type { Queryable } from '../database.js';

/** Secrets here are 256 random bits: SHA-256 is enough to store them, nothing to brute-force. */
export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');
export const generateSecret = (): string => randomBytes(32).toString('base64url');
export const looksLikeSecret = (value: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(value);

export interface UserRow {
  id: string;
  issuer: string;
  subject: string;
  email: string | null;
  name: string | null;
  roles: Role[];
}

interface UserRecord {
  id: string;
  issuer: string;
  subject: string;
  email: string | null;
  name: string | null;
  roles: string[];
}

const toUser = (record: UserRecord): UserRow => ({
  id: record.id,
  issuer: record.issuer,
  subject: record.subject,
  email: record.email,
  name: record.name,
  roles: record.roles.map((role) => roleSchema.parse(role)),
});

/** Locked, so two sign-ins of one person at once record their role changes one after the other. */
export async function findUserForUpdate(tx: Queryable, id: string): Promise<UserRow | null> {
  const { rows } = await tx.query<UserRecord>('SELECT * FROM users WHERE id = $1 FOR UPDATE', [id]);
  return rows[0] ? toUser(rows[0]) : null;
}

export async function upsertUser(tx: Queryable, user: UserRow, now: Date): Promise<void> {
  await tx.query(
    `INSERT INTO users (id, issuer, subject, email, name, roles, created_at, last_sign_in_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
     ON CONFLICT (id) DO UPDATE SET email = EXCLUDED.email, name = EXCLUDED.name, roles = EXCLUDED.roles, last_sign_in_at = EXCLUDED.last_sign_in_at`,
    [user.id, user.issuer, user.subject, user.email, user.name, user.roles, now],
  );
}

export interface WebSessionRow {
  id: string;
  userId: string;
  roles: Role[];
  csrfToken: string;
  idToken: string | null;
  expiresAt: Date;
  email: string | null;
  name: string | null;
}

export async function insertWebSession(
  tx: Queryable,
  input: { secret: string; userId: string; roles: readonly Role[]; csrfToken: string; idToken: string | null; now: Date; expiresAt: Date },
): Promise<string> {
  const id = `ses_${randomBytes(8).toString('hex')}`;
  await tx.query(
    `INSERT INTO web_sessions (id, secret_hash, user_id, roles, csrf_token, id_token, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [id, hashSecret(input.secret), input.userId, input.roles, input.csrfToken, input.idToken, input.now, input.expiresAt],
  );
  return id;
}

interface WebSessionRecord {
  id: string;
  user_id: string;
  roles: string[];
  csrf_token: string;
  id_token: string | null;
  expires_at: Date;
  email: string | null;
  name: string | null;
}

/** The live session whose cookie secret this is: not ended, not expired at `now`. */
export async function findLiveWebSession(db: Queryable, secret: string, now: Date): Promise<WebSessionRow | null> {
  const { rows } = await db.query<WebSessionRecord>(
    `SELECT s.id, s.user_id, s.roles, s.csrf_token, s.id_token, s.expires_at, u.email, u.name
       FROM web_sessions s JOIN users u ON u.id = s.user_id
      WHERE s.secret_hash = $1 AND s.ended_at IS NULL AND s.expires_at > $2`,
    [hashSecret(secret), now],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    id: row.id,
    userId: row.user_id,
    roles: row.roles.map((role) => roleSchema.parse(role)),
    csrfToken: row.csrf_token,
    idToken: row.id_token,
    expiresAt: row.expires_at,
    email: row.email,
    name: row.name,
  };
}

/** Ends a session; false when it had already ended. */
export async function endWebSession(tx: Queryable, id: string, now: Date): Promise<boolean> {
  const result = await tx.query('UPDATE web_sessions SET ended_at = $2 WHERE id = $1 AND ended_at IS NULL', [id, now]);
  return result.rowCount === 1;
}

export interface LoginFlowRow {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** Stores a sign-in under way and clears the ones that expired unused (abandoned at the provider). */
export async function insertLoginFlow(db: Queryable, input: LoginFlowRow & { flowId: string; now: Date; expiresAt: Date }): Promise<void> {
  await db.query('DELETE FROM oidc_login_flows WHERE expires_at <= $1', [input.now]);
  await db.query('INSERT INTO oidc_login_flows (id_hash, state, nonce, code_verifier, expires_at) VALUES ($1, $2, $3, $4, $5)', [
    hashSecret(input.flowId),
    input.state,
    input.nonce,
    input.codeVerifier,
    input.expiresAt,
  ]);
}

/** Takes a flow once: the row is deleted, so a replayed callback finds nothing. */
export async function takeLoginFlow(db: Queryable, flowId: string, now: Date): Promise<LoginFlowRow | null> {
  const { rows } = await db.query<{ state: string; nonce: string; code_verifier: string }>(
    'DELETE FROM oidc_login_flows WHERE id_hash = $1 AND expires_at > $2 RETURNING state, nonce, code_verifier',
    [hashSecret(flowId), now],
  );
  const row = rows[0];
  return row ? { state: row.state, nonce: row.nonce, codeVerifier: row.code_verifier } : null;
}
