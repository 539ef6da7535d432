import { timingSafeEqual } from 'node:crypto';
import { AppError, type Principal } from '@clearance/core';
import type { Database } from '@clearance/db';
import { principalOfWebSession } from '@clearance/services';
import type { Request, RequestHandler } from 'express';
import { authenticate, type AuthLocals } from './auth.js';
import { cookieValue } from './cookies.js';
import type { RouteSpec } from './route-table.js';
import { principalOfUiSession, UI_SESSION_COOKIE } from './ui-session.js';
import { CSRF_HEADER, WEB_SESSION_COOKIE } from './web-session-cookie.js';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

const sameSecret = (expected: string, given: string | undefined): boolean => {
  if (given === undefined) return false;
  const [a, b] = [Buffer.from(expected), Buffer.from(given)];
  return a.length === b.length && timingSafeEqual(a, b);
};

/**
 * A cookie rides along with any request the browser makes, so a state-changing
 * call it authenticates must prove it comes from our own pages: the CSRF
 * token (which only our pages can read, from /me) for the sign-in session,
 * and for both cookies Fetch Metadata refuses what a browser says is
 * cross-site.
 */
function refuseCrossSite(req: Request): void {
  const site = req.get('sec-fetch-site');
  if (!safeMethods.has(req.method) && site !== undefined && site !== 'same-origin') {
    throw new AppError('forbidden', 'a cross-site request cannot use the web UI session');
  }
}

/**
 * Who is calling, in this order: `Authorization: Bearer` (CLI, CI, API
 * clients: unchanged), the sign-in session cookie (every route, so anything
 * the web UI calls or opens works with it), and for routes a browser
 * navigates to (`acceptsUiSession`), the token-derived dashboard cookie.
 */
export function authenticateRequest(db: Database, now: () => Date): (route: RouteSpec) => RequestHandler {
  const bearer = authenticate(db);
  return (route) => async (req, res, next) => {
    if (req.get('authorization')) return bearer(req, res, next);
    const locals = res.locals as AuthLocals;
    const sessionSecret = cookieValue(req, WEB_SESSION_COOKIE);
    if (sessionSecret !== null) {
      const session = await principalOfWebSession(db, sessionSecret, now());
      if (session) {
        refuseCrossSite(req);
        if (!safeMethods.has(req.method) && !sameSecret(session.csrfToken, req.get(CSRF_HEADER))) {
          throw new AppError('csrf_failed', `a state-changing call with the session cookie needs the ${CSRF_HEADER} header that GET /me returns`);
        }
        Object.assign(locals, { principal: session.principal, via: 'web-session', webSession: session });
        return next();
      }
      if (!route.acceptsUiSession) throw new AppError('unauthenticated', 'the session has ended or expired: sign in again');
    }
    if (route.acceptsUiSession) {
      const value = cookieValue(req, UI_SESSION_COOKIE);
      if (value === null) throw new AppError('unauthenticated', 'sign in to the web UI and open this page from there (or send Authorization: Bearer <token>)');
      const principal: Principal | null = await principalOfUiSession(db, value);
      if (!principal) throw new AppError('unauthenticated', 'the web UI session has expired or its token was revoked: open this page from the web UI again');
      refuseCrossSite(req);
      Object.assign(locals, { principal, via: 'ui-session' });
      return next();
    }
    throw new AppError('unauthenticated', 'a bearer token is required (Authorization: Bearer <token>)');
  };
}
