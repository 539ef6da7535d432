import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError, type Principal } from '@clearance/core';
import { findActiveTokenWithHash, type Database } from '@clearance/db';
import type { Request, Response } from 'express';

/**
 * A browser cannot send `Authorization: Bearer` when it navigates, so pages
 * that are opened rather than fetched (the queue dashboard) take a short-lived
 * session cookie instead. The cookie is `<tokenId>.<expiresAtSeconds>.<mac>`,
 * where the MAC is an HMAC keyed with the token's stored SHA-256 hash: only
 * the database knows that key, every API replica can check it without a
 * shared secret, and revoking the token ends the session at once.
 */
export const UI_SESSION_COOKIE = 'clearance_ui_session';
export const UI_SESSION_TTL_SECONDS = 30 * 60;

const macOf = (tokenHash: string, tokenId: string, expiresAt: number): string =>
  createHmac('sha256', tokenHash).update(`clearance-ui-session:v1:${tokenId}:${expiresAt}`).digest('base64url');

const cookiePattern = /^(tok_[0-9a-f]{1,64})\.(\d{1,12})\.([\w-]{43})$/;

export interface UiSessionCookie {
  value: string;
  expiresAt: Date;
}

export async function issueUiSession(db: Database, principal: Principal, now = new Date()): Promise<UiSessionCookie> {
  const token = await findActiveTokenWithHash(db, principal.tokenId);
  if (!token) throw new AppError('unauthenticated', 'the token is unknown or revoked');
  const expiresAt = Math.floor(now.getTime() / 1000) + UI_SESSION_TTL_SECONDS;
  return { value: `${principal.tokenId}.${expiresAt}.${macOf(token.tokenHash, principal.tokenId, expiresAt)}`, expiresAt: new Date(expiresAt * 1000) };
}

/** The principal a session cookie stands for, or null when it is malformed, forged, expired or its token revoked. */
export async function principalOfUiSession(db: Database, value: string, now = new Date()): Promise<Principal | null> {
  const match = cookiePattern.exec(value);
  if (!match?.[1] || !match[2] || !match[3]) return null;
  const [tokenId, expiresAt, mac] = [match[1], Number(match[2]), match[3]];
  if (expiresAt * 1000 <= now.getTime()) return null;
  const token = await findActiveTokenWithHash(db, tokenId);
  if (!token) return null;
  const expected = Buffer.from(macOf(token.tokenHash, tokenId, expiresAt));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  return { user: token.row.user, roles: token.row.roles, tokenId };
}

export interface UiSessionCookieOptions {
  path: string;
}

export function setUiSessionCookie(req: Request, res: Response, session: UiSessionCookie, options: UiSessionCookieOptions): void {
  res.cookie(UI_SESSION_COOKIE, session.value, {
    httpOnly: true,
    sameSite: 'strict',
    // trust proxy is off, so this is true only when TLS ends in this process.
    secure: req.secure,
    path: options.path,
    expires: session.expiresAt,
  });
}

export function clearUiSessionCookie(req: Request, res: Response, options: UiSessionCookieOptions): void {
  res.clearCookie(UI_SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: options.path });
}
