import { AppError, hasAnyRole, type Principal, type Role } from '@clearance/core';
import { appendAuditEvent, type Database } from '@clearance/db';
import { TokenAuthenticator, type WebSessionPrincipal } from '@clearance/services';
import type { Request, RequestHandler, Response } from 'express';
import type { Access } from './route-table.js';

export const principalOf = (res: Response): Principal => {
  const principal = (res.locals as AuthLocals).principal;
  if (!principal) throw new AppError('unauthenticated', 'a bearer token is required');
  return principal;
};

export interface AuthLocals {
  principal?: Principal;
  /** Set when a cookie, not a bearer token, let the caller in: the dashboard's token-derived one, or a sign-in session. */
  via?: 'ui-session' | 'web-session';
  /** The sign-in session behind the call (its CSRF token, display name, ID token for logout). */
  webSession?: WebSessionPrincipal;
}

/** Who made a request, for its log lines (read when they are written: no child logger per request). */
export const logFieldsOf = (res: { locals?: unknown }): { user?: string; via?: string } => {
  const locals = (res.locals ?? {}) as AuthLocals;
  return locals.principal ? { user: locals.principal.user, ...(locals.via ? { via: locals.via } : {}) } : {};
};

/** Reads `Authorization: Bearer <token>`; a missing or unknown token is 401. */
export function authenticate(db: Database): RequestHandler {
  const tokens = new TokenAuthenticator(db);
  return async (req, res, next) => {
    const header = req.get('authorization');
    const match = header ? /^Bearer ([^\s]+)$/i.exec(header.trim()) : null;
    if (!match?.[1]) throw new AppError('unauthenticated', 'a bearer token is required (Authorization: Bearer <token>)');
    const principal = await tokens.authenticate(match[1]);
    if (!principal) throw new AppError('unauthenticated', 'the token is unknown or revoked');
    (res.locals as AuthLocals).principal = principal;
    next();
  };
}

/**
 * A refused call is itself an event worth keeping: an auditor asks who tried
 * what they were not allowed to do.
 */
export async function recordDenial(
  db: Database,
  input: { principal: Principal; method: string; route: string; reason: 'forbidden' | 'not_owner'; requiredRoles: Access; policyVersion: string | null },
): Promise<void> {
  await db.transaction((tx) =>
    appendAuditEvent(tx, {
      actor: input.principal.user,
      subjectType: 'route',
      subjectId: `${input.method} ${input.route}`,
      payload: {
        type: 'access.denied',
        method: input.method,
        route: input.route,
        reason: input.reason,
        requiredRoles: input.requiredRoles.kind === 'roles' ? [...input.requiredRoles.roles] : [],
      },
      policyVersion: input.policyVersion,
    }),
  );
}

/** The route pattern a request matched; a sub-application (the queue dashboard) has no req.route, so the full path. */
export const routePathOf = (req: Request): string => (req.route as { path?: string } | undefined)?.path ?? `${req.baseUrl}${req.path}`;

/** Someone reaching for another's object without a role that reads everyone's: an audited denial. */
export const recordNotOwner = (
  db: Database,
  req: Request,
  input: { principal: Principal; readersOfAll: readonly Role[]; policyVersion: string | null },
): Promise<void> =>
  recordDenial(db, {
    principal: input.principal,
    method: req.method,
    route: routePathOf(req),
    reason: 'not_owner',
    requiredRoles: { kind: 'roles', roles: input.readersOfAll },
    policyVersion: input.policyVersion,
  });

export function authorize(db: Database, access: Access, policyVersion: () => string | null): RequestHandler {
  return async (req, res, next) => {
    if (access.kind !== 'roles') return next();
    const principal = principalOf(res);
    if (hasAnyRole(principal, access.roles)) return next();
    await recordDenial(db, {
      principal,
      method: req.method,
      route: routePathOf(req),
      reason: 'forbidden',
      requiredRoles: access,
      policyVersion: policyVersion(),
    });
    throw new AppError('forbidden', `this needs one of the roles: ${access.roles.join(', ')}`);
  };
}
