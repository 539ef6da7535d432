import { listOf, waiverResponseSchema } from '@clearance/contract';
import { verdictSchema, waiverScopeSchema, type Role } from '@clearance/core';
import { findWaivers, grantWaiver, revokeWaiverById } from '@clearance/services';
import { z } from 'zod';
import type { ApiDependencies } from '../api-dependencies.js';
import { principalOf } from '../http/auth.js';
import type { RouteTable } from '../http/route-table.js';

const grantSchema = z.strictObject({
  scope: waiverScopeSchema,
  verdict: verdictSchema,
  justification: z.string().trim().min(1, 'a justification is required').max(4_000),
  expiresAt: z.iso.datetime({ offset: true, message: 'an ISO 8601 date-time, e.g. 2027-01-31T00:00:00Z' }),
});

const revokeSchema = z.strictObject({ reason: z.string().trim().min(1, 'a reason is required').max(4_000) });
const idParams = z.strictObject({ id: z.string().regex(/^wvr_[0-9a-f]{16}$/, 'not a waiver id') });
const listQuery = z.strictObject({ state: z.enum(['active', 'expired', 'revoked']).optional() });

/** Who reads waivers (and so their live changes). */
export const waiverReaders: readonly Role[] = ['compliance', 'legal', 'ospo', 'auditor', 'admin'];

export function addWaiverRoutes(table: RouteTable, deps: ApiDependencies): void {
  table.add({
    method: 'post',
    path: '/waivers',
    access: { kind: 'roles', roles: ['compliance', 'legal'] },
    summary: 'Grant a waiver: a verdict forced for a purl scope, with a justification and an expiry',
    body: grantSchema,
    responses: { 201: waiverResponseSchema },
    handlers: [
      async (req, res) => {
        const input = res.locals.input.body;
        res.status(201).json(await grantWaiver(deps, { ...input, grantedBy: principalOf(res).user }));
      },
    ],
  });
  table.add({
    method: 'get',
    path: '/waivers',
    access: { kind: 'roles', roles: waiverReaders },
    summary: 'Waivers, optionally by state (active, expired, revoked)',
    query: listQuery,
    responses: { 200: listOf(waiverResponseSchema) },
    handlers: [
      async (req, res) => {
        const { state } = res.locals.input.query;
        res.json({ items: await findWaivers(deps, { state, now: new Date() }) });
      },
    ],
  });
  table.add({
    method: 'post',
    path: '/waivers/:id/revoke',
    access: { kind: 'roles', roles: ['compliance', 'legal'] },
    summary: 'Revoke a waiver (reason required)',
    params: idParams,
    body: revokeSchema,
    responses: { 200: waiverResponseSchema },
    handlers: [
      async (req, res) => {
        const { id } = res.locals.input.params;
        const { reason } = res.locals.input.body;
        res.json(await revokeWaiverById(deps, { id, reason, revokedBy: principalOf(res).user }));
      },
    ],
  });
}
