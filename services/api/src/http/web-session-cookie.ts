import type { Request, Response } from 'express';

/**
 * The signed-in session of a person who came through the identity provider.
 * The value is a random secret whose hash names a server-side session row, so
 * a session is revocable and expires on the server, whatever the browser keeps.
 * SameSite=Lax: the provider's redirect back is a cross-site navigation that
 * must carry the flow cookie, and later top-level links into the UI keep the
 * session; state-changing calls need the CSRF header besides.
 */
export const WEB_SESSION_COOKIE = 'clearance_session';
/** The sign-in under way, only on the callback's path, for the few minutes a sign-in takes. */
export const LOGIN_FLOW_COOKIE = 'clearance_oidc_flow';
export const LOGIN_FLOW_PATH = '/auth/oidc';
export const LOGIN_FLOW_TTL_SECONDS = 10 * 60;
/** The header a state-changing call authenticated by the session cookie must carry (the token /me returns). */
export const CSRF_HEADER = 'x-csrf-token';

/** Secure when TLS ends here, or when the public URL people use is https (TLS ends at a proxy). */
const isSecure = (req: Request, publicUrl: string): boolean => req.secure || publicUrl.startsWith('https:');

export function setWebSessionCookie(req: Request, res: Response, input: { secret: string; expiresAt: Date; publicUrl: string }): void {
  res.cookie(WEB_SESSION_COOKIE, input.secret, { httpOnly: true, sameSite: 'lax', secure: isSecure(req, input.publicUrl), path: '/', expires: input.expiresAt });
}

export function clearWebSessionCookie(req: Request, res: Response, publicUrl: string): void {
  res.clearCookie(WEB_SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: isSecure(req, publicUrl), path: '/' });
}

export function setLoginFlowCookie(req: Request, res: Response, input: { flowId: string; publicUrl: string }): void {
  res.cookie(LOGIN_FLOW_COOKIE, input.flowId, {
    httpOnly: true,
    sameSite: 'lax',
    secure: isSecure(req, input.publicUrl),
    path: LOGIN_FLOW_PATH,
    maxAge: LOGIN_FLOW_TTL_SECONDS * 1000,
  });
}

export function clearLoginFlowCookie(req: Request, res: Response, publicUrl: string): void {
  res.clearCookie(LOGIN_FLOW_COOKIE, { httpOnly: true, sameSite: 'lax', secure: isSecure(req, publicUrl), path: LOGIN_FLOW_PATH });
}
