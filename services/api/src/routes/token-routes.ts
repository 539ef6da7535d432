import { createdTokenResponseSchema, listOf, meResponseSchema, tokenResponseSchema } from '@clearance/contract';
import { roleSchema } from '@clearance/core';
import type { Database } from '@clearance/db';
import { findTokens, issueToken, revokeApiToken } from '@clearance/services';
import { z } from 'zod';
import { principalOf, type AuthLocals } from '../http/auth.js';
import { permittedActions } from '../http/permitted-actions.js';
import type { RouteTable } from '../http/route-table.js';

const createTokenSchema = z.strictObject({
  user: z.string().trim().min(1).max(200).regex(/^[\w.@+-]+$/, 'letters, digits and . _ @ + - only'),
  roles: z.array(roleSchema).min(1),
});

const tokenIdSchema = z.strictObject({ id: z.string().min(1).max(100) });

export function addTokenRoutes(table: RouteTable, db: Database, policyVersion: () => string | null): void {
  table.add({
    method: 'get',
    path: '/me',
    access: { kind: 'authenticated' },
    summary: 'Who the token belongs to, the roles it carries, and every route (`METHOD /path`) those roles may call',
    responses: { 200: meResponseSchema },
    handlers: [
      (_req, res) => {
        const principal = principalOf(res);
        const session = (res.locals as AuthLocals).webSession;
        res.json({
          user: principal.user,
          roles: principal.roles,
          tokenId: principal.tokenId,
          actions: permittedActions(table, principal),
          ...(session ? { displayName: session.displayName, csrfToken: session.csrfToken } : {}),
        });
      },
    ],
  });
  table.add({
    method: 'get',
    path: '/tokens',
    access: { kind: 'roles', roles: ['admin'] },
    summary: 'List tokens (never their secrets)',
    responses: { 200: listOf(tokenResponseSchema) },
    handlers: [
      async (_req, res) => {
        res.json({ items: await findTokens(db) });
      },
    ],
  });
  table.add({
    method: 'post',
    path: '/tokens',
    access: { kind: 'roles', roles: ['admin'] },
    summary: 'Create a token; the secret is in this response only',
    ratePerMinute: 30,
    body: createTokenSchema,
    responses: { 201: createdTokenResponseSchema },
    handlers: [
      async (req, res) => {
        const input = res.locals.input.body;
        const issued = await issueToken(db, { ...input, actor: principalOf(res).user, policyVersion: policyVersion() });
        res.status(201).json({ ...issued.row, token: issued.token });
      },
    ],
  });
  table.add({
    method: 'delete',
    path: '/tokens/:id',
    access: { kind: 'roles', roles: ['admin'] },
    summary: 'Revoke a token',
    params: tokenIdSchema,
    responses: { 200: tokenResponseSchema },
    handlers: [
      async (req, res) => {
        const { id } = res.locals.input.params;
        res.json(await revokeApiToken(db, { id, actor: principalOf(res).user, policyVersion: policyVersion() }));
      },
    ],
  });
}
