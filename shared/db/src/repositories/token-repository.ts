import { createHash, randomBytes } from 'node:crypto';
import { roleSchema, type Role } from '@clearance/core';
import type { Queryable } from '../database.js';

export interface ApiTokenRow {
  id: string;
  user: string;
  roles: Role[];
  createdAt: Date;
  createdBy: string;
  revokedAt: Date | null;
}

const TOKEN_PREFIX = 'clr_';

/** Tokens carry 256 random bits, so SHA-256 is enough to store them: nothing to brute-force. */
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export const generateToken = (): string => TOKEN_PREFIX + randomBytes(32).toString('base64url');

export const looksLikeToken = (value: string): boolean => /^clr_[A-Za-z0-9_-]{43}$/.test(value);

interface TokenRecord {
  id: string;
  user_name: string;
  roles: string[];
  created_at: Date;
  created_by: string;
  revoked_at: Date | null;
}

const toRow = (record: TokenRecord): ApiTokenRow => ({
  id: record.id,
  user: record.user_name,
  roles: record.roles.map((role) => roleSchema.parse(role)),
  createdAt: record.created_at,
  createdBy: record.created_by,
  revokedAt: record.revoked_at,
});

export async function insertToken(
  tx: Queryable,
  input: { token: string; user: string; roles: readonly Role[]; createdBy: string },
): Promise<ApiTokenRow> {
  const id = `tok_${randomBytes(8).toString('hex')}`;
  const { rows } = await tx.query<TokenRecord>(
    `INSERT INTO api_tokens (id, user_name, roles, token_hash, created_by)
     VALUES ($1, $2, $3, $4, $5) RETURNING *`,
    [id, input.user, input.roles, hashToken(input.token), input.createdBy],
  );
  const row = rows[0];
  if (!row) throw new Error('token insert returned no row');
  return toRow(row);
}

/** The active tokens among `tokens`, by token value, with one query. */
export async function findActiveTokensByValue(db: Queryable, tokens: readonly string[]): Promise<Map<string, ApiTokenRow>> {
  const hashes = tokens.map(hashToken);
  const { rows } = await db.query<TokenRecord & { token_hash: string }>(
    'SELECT * FROM api_tokens WHERE token_hash = ANY($1) AND revoked_at IS NULL',
    [hashes],
  );
  const byHash = new Map(rows.map((row) => [row.token_hash, toRow(row)]));
  const found = new Map<string, ApiTokenRow>();
  tokens.forEach((token, i) => {
    const row = byHash.get(hashes[i] ?? '');
    if (row) found.set(token, row);
  });
  return found;
}

export async function findToken(db: Queryable, id: string): Promise<ApiTokenRow | null> {
  const { rows } = await db.query<TokenRecord>('SELECT * FROM api_tokens WHERE id = $1', [id]);
  const row = rows[0];
  return row ? toRow(row) : null;
}

/**
 * An active token with its stored hash. The hash is a secret only the
 * database knows, so it can key a signature (the web UI's session cookie)
 * without a signing key shared between API replicas; revoking the token
 * invalidates everything signed with it.
 */
export async function findActiveTokenWithHash(db: Queryable, id: string): Promise<{ row: ApiTokenRow; tokenHash: string } | null> {
  const { rows } = await db.query<TokenRecord & { token_hash: string }>(
    'SELECT * FROM api_tokens WHERE id = $1 AND revoked_at IS NULL',
    [id],
  );
  const row = rows[0];
  return row ? { row: toRow(row), tokenHash: row.token_hash } : null;
}

export async function listTokens(db: Queryable): Promise<ApiTokenRow[]> {
  const { rows } = await db.query<TokenRecord>('SELECT * FROM api_tokens ORDER BY created_at, id');
  return rows.map(toRow);
}

export async function countTokens(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ count: number }>('SELECT count(*)::int AS count FROM api_tokens');
  return rows[0]?.count ?? 0;
}

/** Marks a token revoked; returns false when it was unknown or already revoked. */
export async function revokeToken(tx: Queryable, id: string): Promise<boolean> {
  const result = await tx.query('UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [id]);
  return result.rowCount === 1;
}
