import { logoutResponseSchema, signInOptionsResponseSchema } from '@clearance/contract';
import { AppError, rolesFromClaims } from '@clearance/core';
import { generateSecret, insertLoginFlow, takeLoginFlow } from '@clearance/db';
import { endSignedInSession, recordRefusedSignIn, startWebSession } from '@clearance/services';
import type { Request, Response } from 'express';
import * as client from 'openid-client';
import { z } from 'zod';
import type { ApiDependencies } from '../api-dependencies.js';
import { principalOf, type AuthLocals } from '../http/auth.js';
import { cookieValue } from '../http/cookies.js';
import type { RouteTable } from '../http/route-table.js';
import {
  clearLoginFlowCookie,
  clearWebSessionCookie,
  LOGIN_FLOW_COOKIE,
  LOGIN_FLOW_PATH,
  LOGIN_FLOW_TTL_SECONDS,
  setLoginFlowCookie,
  setWebSessionCookie,
} from '../http/web-session-cookie.js';
import { SignInRefused, type OidcClient } from '../sign-in/oidc-client.js';

const LOGIN_PATH = `${LOGIN_FLOW_PATH}/login`;
const CALLBACK_PATH = `${LOGIN_FLOW_PATH}/callback`;

const param = z.string().max(4096).optional();
/** The authorization response's parameters (RFC 6749 §4.1.2, RFC 9207's iss, OpenID session management's session_state). */
const callbackQuerySchema = z.strictObject({
  code: param,
  state: param,
  iss: param,
  session_state: param,
  error: param,
  error_description: param,
  error_uri: param,
});

const text = (value: unknown, max = 200): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, max) : null);

export type SignInDependencies = Pick<ApiDependencies, 'db' | 'policy' | 'log' | 'publicUrl' | 'now'> & { oidc: OidcClient | null };

/** Single sign-on: the web UI's "Sign in with <provider>", the provider's redirect back, and logout. */
export function addSignInRoutes(table: RouteTable, deps: SignInDependencies): void {
  const { db, oidc } = deps;
  const policyVersion = (): string => deps.policy.version;
  const requireOidc = (): OidcClient => {
    if (!oidc) throw new AppError('not_found', 'single sign-on is not configured (CLEARANCE_OIDC_ISSUER): sign in with an API token');
    return oidc;
  };
  const redirectUri = (): string => `${deps.publicUrl()}${CALLBACK_PATH}`;

  table.add({
    method: 'get',
    path: '/auth/options',
    access: { kind: 'public' },
    summary: 'How the web UI may sign in: an API token always, and single sign-on when an identity provider is configured',
    responses: { 200: signInOptionsResponseSchema },
    handlers: [
      (_req, res) => {
        res.json({ oidc: oidc ? { providerName: oidc.settings.providerName, loginPath: LOGIN_PATH } : null });
      },
    ],
  });

  table.add({
    method: 'get',
    path: LOGIN_PATH,
    access: { kind: 'public' },
    summary: 'Start a sign-in at the identity provider (authorization code with PKCE): redirects there',
    responses: {},
    handlers: [
      async (req, res) => {
        const provider = requireOidc();
        const now = deps.now();
        const flow = { flowId: generateSecret(), state: client.randomState(), nonce: client.randomNonce(), codeVerifier: client.randomPKCECodeVerifier() };
        const url = await provider.authorizationUrl({ redirectUri: redirectUri(), ...flow });
        await insertLoginFlow(db, { ...flow, now, expiresAt: new Date(now.getTime() + LOGIN_FLOW_TTL_SECONDS * 1000) });
        setLoginFlowCookie(req, res, { flowId: flow.flowId, publicUrl: deps.publicUrl() });
        res.setHeader('cache-control', 'no-store');
        res.redirect(303, url.href);
      },
    ],
  });

  const refuse = async (req: Request, res: Response, refusal: SignInRefused, issuer: string): Promise<void> => {
    await recordRefusedSignIn(db, { reason: refusal.reason, issuer, subject: refusal.subject, detail: refusal.message.slice(0, 500), policyVersion: policyVersion() });
    deps.log.info({ reason: refusal.reason }, 'sign-in refused');
    res.setHeader('cache-control', 'no-store');
    res.redirect(303, `/#/sign-in?refused=${refusal.reason}`);
  };

  table.add({
    method: 'get',
    path: CALLBACK_PATH,
    access: { kind: 'public' },
    summary: "The identity provider's redirect back: checks state, nonce, PKCE and the ID token, maps the claims to roles, opens a session",
    query: callbackQuerySchema,
    responses: {},
    handlers: [
      async (req, res) => {
        const provider = requireOidc();
        const issuer = provider.settings.issuer.href;
        const query = res.locals.input.query;
        const flowId = cookieValue(req, LOGIN_FLOW_COOKIE);
        clearLoginFlowCookie(req, res, deps.publicUrl());
        // Taken before anything else, so a callback is good once, whatever follows.
        const flow = flowId === null ? null : await takeLoginFlow(db, flowId, deps.now());
        if (query.error !== undefined) {
          return refuse(req, res, new SignInRefused('provider_error', `the provider answered ${query.error}${query.error_description ? `: ${query.error_description}` : ''}`), issuer);
        }
        if (!flow) return refuse(req, res, new SignInRefused('flow_missing', 'no sign-in was under way in this browser (or it took longer than 10 minutes)'), issuer);
        if (query.state !== flow.state) return refuse(req, res, new SignInRefused('state_mismatch', 'the state parameter is not the one this sign-in sent'), issuer);
        const callbackUrl = new URL(redirectUri());
        for (const [key, value] of Object.entries(query)) if (value !== undefined) callbackUrl.searchParams.set(key, value);
        let identity;
        try {
          identity = await provider.complete(callbackUrl, flow);
        } catch (error) {
          if (error instanceof SignInRefused) return refuse(req, res, error, issuer);
          throw error;
        }
        const roles = rolesFromClaims(identity.claims, provider.settings.roleMap);
        if (roles.length === 0) {
          const claim = provider.settings.roleMap.claim;
          return refuse(req, res, new SignInRefused('no_role', `no value of the ${claim} claim maps to a Clearance role`, identity.subject), identity.issuer);
        }
        const session = await startWebSession(db, {
          identity: {
            issuer: identity.issuer,
            subject: identity.subject,
            email: text(identity.claims.email),
            name: text(identity.claims.name),
            roles,
            idToken: identity.idToken,
          },
          now: deps.now(),
          ttlSeconds: provider.settings.sessionTtlSeconds,
          policyVersion: policyVersion(),
        });
        setWebSessionCookie(req, res, { secret: session.secret, expiresAt: session.expiresAt, publicUrl: deps.publicUrl() });
        res.setHeader('cache-control', 'no-store');
        res.redirect(303, '/');
      },
    ],
  });

  table.add({
    method: 'post',
    path: '/auth/logout',
    access: { kind: 'authenticated' },
    summary: 'End the sign-in session that authenticates this call (and say where the provider ends its own)',
    bodyKind: 'none',
    responses: { 200: logoutResponseSchema },
    handlers: [
      async (req, res) => {
        const session = (res.locals as AuthLocals).webSession;
        if (!session) throw new AppError('conflict', 'this call is not authenticated by a sign-in session: a token is revoked with DELETE /tokens/:id');
        await endSignedInSession(db, { sessionId: session.sessionId, userId: principalOf(res).user, now: deps.now(), policyVersion: policyVersion() });
        clearWebSessionCookie(req, res, deps.publicUrl());
        const endSessionUrl = oidc ? await oidc.endSessionUrl({ idToken: session.idToken, postLogoutRedirectUri: `${deps.publicUrl()}/` }).catch(() => null) : null;
        res.json({ endSessionUrl });
      },
    ],
  });
}
