import { createHash } from 'node:crypto';
import { sameRoles, type Principal, type Role, type SignInRefusalReason } from '@clearance/core';
import {
  appendAuditEvent,
  endWebSession,
  findLiveWebSession,
  findUserForUpdate,
  generateSecret,
  insertWebSession,
  looksLikeSecret,
  upsertUser,
  type Database,
} from '@clearance/db';

/**
 * A person's id in Clearance: derived from the provider's issuer and subject,
 * the only pair OpenID Connect promises stays the same for one person (an
 * email can change hands). Letters and digits only, so it fits wherever a
 * token's user name does.
 */
export const userIdOf = (issuer: string, subject: string): string =>
  `oidc_${createHash('sha256').update(`${issuer}\n${subject}`).digest('hex').slice(0, 24)}`;

export interface VerifiedIdentity {
  issuer: string;
  subject: string;
  email: string | null;
  name: string | null;
  /** The roles the claims grant now (at least one: a sign-in granting none is refused before this). */
  roles: readonly Role[];
  /** Kept for RP-initiated logout's id_token_hint. */
  idToken: string | null;
}

export interface StartedWebSession {
  /** The cookie's value: shown to the browser once, only its hash is stored. */
  secret: string;
  sessionId: string;
  userId: string;
  expiresAt: Date;
}

/**
 * Creates the user on first sign-in, refreshes their roles from the claims on
 * every one (a change is its own audit event), and opens a session: one
 * transaction with its audit events.
 */
export async function startWebSession(
  db: Database,
  input: { identity: VerifiedIdentity; now: Date; ttlSeconds: number; policyVersion: string | null },
): Promise<StartedWebSession> {
  const { identity, now } = input;
  const userId = userIdOf(identity.issuer, identity.subject);
  const secret = generateSecret();
  const expiresAt = new Date(now.getTime() + input.ttlSeconds * 1000);
  const sessionId = await db.transaction(async (tx) => {
    const existing = await findUserForUpdate(tx, userId);
    await upsertUser(tx, { id: userId, issuer: identity.issuer, subject: identity.subject, email: identity.email, name: identity.name, roles: [...identity.roles] }, now);
    if (existing && !sameRoles(existing.roles, identity.roles)) {
      await appendAuditEvent(tx, {
        actor: 'system',
        subjectType: 'user',
        subjectId: userId,
        payload: { type: 'user.roles-changed', userId, from: existing.roles, to: [...identity.roles] },
        policyVersion: input.policyVersion,
      });
    }
    const id = await insertWebSession(tx, { secret, userId, roles: identity.roles, csrfToken: generateSecret(), idToken: identity.idToken, now, expiresAt });
    await appendAuditEvent(tx, {
      actor: userId,
      subjectType: 'user',
      subjectId: userId,
      payload: {
        type: 'session.signed-in',
        userId,
        sessionId: id,
        issuer: identity.issuer,
        subject: identity.subject,
        roles: [...identity.roles],
        firstSignIn: existing === null,
      },
      policyVersion: input.policyVersion,
    });
    return id;
  });
  return { secret, sessionId, userId, expiresAt };
}

/**
 * A refused sign-in is kept like any refused access. A person whose groups no
 * longer map to a role also has their stored roles emptied, in the same
 * transaction, so the users list shows what they hold now.
 */
export async function recordRefusedSignIn(
  db: Database,
  input: { reason: SignInRefusalReason; issuer: string; subject: string | null; detail: string; policyVersion: string | null },
): Promise<void> {
  await db.transaction(async (tx) => {
    const userId = input.subject === null ? null : userIdOf(input.issuer, input.subject);
    if (userId !== null && input.reason === 'no_role') {
      const existing = await findUserForUpdate(tx, userId);
      if (existing && existing.roles.length > 0) {
        await tx.query('UPDATE users SET roles = $2 WHERE id = $1', [userId, []]);
        await appendAuditEvent(tx, {
          actor: 'system',
          subjectType: 'user',
          subjectId: userId,
          payload: { type: 'user.roles-changed', userId, from: existing.roles, to: [] },
          policyVersion: input.policyVersion,
        });
      }
    }
    await appendAuditEvent(tx, {
      actor: userId ?? 'anonymous',
      subjectType: 'user',
      subjectId: userId ?? 'unknown',
      payload: { type: 'session.sign-in-refused', reason: input.reason, issuer: input.issuer, subject: input.subject, detail: input.detail },
      policyVersion: input.policyVersion,
    });
  });
}

export interface WebSessionPrincipal {
  principal: Principal;
  sessionId: string;
  csrfToken: string;
  /** What the UI shows for the person: their name, else their email, else the id. */
  displayName: string;
  idToken: string | null;
  expiresAt: Date;
}

/** Who a session cookie stands for, or null when it is malformed, unknown, ended or expired at `now`. */
export async function principalOfWebSession(db: Database, secret: string, now: Date): Promise<WebSessionPrincipal | null> {
  if (!looksLikeSecret(secret)) return null;
  const session = await findLiveWebSession(db, secret, now);
  if (!session) return null;
  return {
    principal: { user: session.userId, roles: session.roles, tokenId: session.id },
    sessionId: session.id,
    csrfToken: session.csrfToken,
    displayName: session.name ?? session.email ?? session.userId,
    idToken: session.idToken,
    expiresAt: session.expiresAt,
  };
}

/** Logout: the session ends at once (its cookie stops working on every replica), with its audit event. */
export async function endSignedInSession(
  db: Database,
  input: { sessionId: string; userId: string; now: Date; policyVersion: string | null },
): Promise<void> {
  await db.transaction(async (tx) => {
    if (!(await endWebSession(tx, input.sessionId, input.now))) return;
    await appendAuditEvent(tx, {
      actor: input.userId,
      subjectType: 'user',
      subjectId: input.userId,
      payload: { type: 'session.signed-out', userId: input.userId, sessionId: input.sessionId },
      policyVersion: input.policyVersion,
    });
  });
}
