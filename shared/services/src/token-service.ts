import { AppError, type Principal, type Role } from '@clearance/core';
import {
  appendAuditEvent,
  countTokens,
  findActiveTokensByValue,
  findToken,
  generateToken,
  insertToken,
  listTokens,
  looksLikeToken,
  revokeToken,
  type ApiTokenRow,
  type Database,
} from '@clearance/db';
import { BatchRunner } from './batch-runner.js';

export interface IssuedToken {
  /** The secret itself: shown once, never stored. */
  token: string;
  row: ApiTokenRow;
}

export async function issueToken(
  db: Database,
  input: { user: string; roles: readonly Role[]; actor: string; policyVersion: string | null; token?: string; bootstrap?: boolean },
): Promise<IssuedToken> {
  const token = input.token ?? generateToken();
  if (!looksLikeToken(token)) throw new AppError('validation_failed', 'a token is "clr_" followed by 43 base64url characters');
  const row = await db.transaction(async (tx) => {
    const inserted = await insertToken(tx, { token, user: input.user, roles: input.roles, createdBy: input.actor });
    await appendAuditEvent(tx, {
      actor: input.actor,
      subjectType: 'token',
      subjectId: inserted.id,
      payload: { type: 'token.created', tokenId: inserted.id, user: inserted.user, roles: inserted.roles, bootstrap: input.bootstrap ?? false },
      policyVersion: input.policyVersion,
    });
    return inserted;
  });
  return { token, row };
}

export async function revokeApiToken(
  db: Database,
  input: { id: string; actor: string; policyVersion: string | null },
): Promise<ApiTokenRow> {
  return db.transaction(async (tx) => {
    const existing = await findToken(tx, input.id);
    if (!existing) throw new AppError('not_found', `no token with id ${input.id}`);
    if (!(await revokeToken(tx, input.id))) throw new AppError('conflict', `token ${input.id} is already revoked`);
    await appendAuditEvent(tx, {
      actor: input.actor,
      subjectType: 'token',
      subjectId: input.id,
      payload: { type: 'token.revoked', tokenId: input.id, user: existing.user },
      policyVersion: input.policyVersion,
    });
    return { ...existing, revokedAt: new Date() };
  });
}

/**
 * On the first start of an empty database, creates the admin token that lets
 * someone in (the given one, or a new one). Returns null when tokens exist.
 */
export async function ensureBootstrapToken(
  db: Database,
  input: { token?: string; policyVersion: string | null },
): Promise<IssuedToken | null> {
  if ((await countTokens(db)) > 0) return null;
  return issueToken(db, {
    user: 'admin',
    roles: ['admin'],
    actor: 'system',
    policyVersion: input.policyVersion,
    token: input.token,
    bootstrap: true,
  });
}

const principalOf = (row: ApiTokenRow): Principal => ({ user: row.user, roles: row.roles, tokenId: row.id });

/**
 * Finds who a bearer token belongs to. Lookups that arrive together share one
 * query (see BatchRunner): every API call authenticates, so under load this
 * is one round trip for many calls, and a revoked token still fails on its
 * very next call (nothing is cached).
 */
export class TokenAuthenticator {
  private readonly lookups: BatchRunner<string, Principal | null>;

  constructor(db: Database) {
    this.lookups = new BatchRunner(async (tokens) => {
      const found = await findActiveTokensByValue(db, tokens);
      return tokens.map((token) => {
        const row = found.get(token);
        return { status: 'fulfilled', value: row ? principalOf(row) : null };
      });
    }, 500);
  }

  authenticate(token: string): Promise<Principal | null> {
    return looksLikeToken(token) ? this.lookups.run(token) : Promise.resolve(null);
  }
}

/** Every token (never a secret: only hashes are stored). */
export const findTokens = (db: Database): Promise<ApiTokenRow[]> => listTokens(db);
