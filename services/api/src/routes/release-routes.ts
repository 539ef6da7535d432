import { listOf, releaseResponseSchema, releaseSummaryResponseSchema } from '@clearance/contract';
import type { Role } from '@clearance/core';
import { obligationEvidenceInputSchema } from '@clearance/core';
import { createRelease, findReleases, markReleaseObligation, readRelease } from '@clearance/services';
import { z } from 'zod';
import type { ApiDependencies } from '../api-dependencies.js';
import { principalOf } from '../http/auth.js';
import type { RouteTable } from '../http/route-table.js';

/** Compliance engineers create releases and settle their obligations. */
const releaseKeepers: readonly Role[] = ['compliance'];
const releaseReaders: readonly Role[] = ['compliance', 'legal', 'ospo', 'auditor', 'admin'];

const createSchema = z.strictObject({
  name: z.string().trim().min(1, 'a product name is required').max(200),
  version: z.string().trim().min(1, 'a version is required').max(100),
  sbomId: z.string().regex(/^sbom_[0-9a-f]{20}$/, 'not an SBOM id'),
});

const idParams = z.strictObject({ id: z.string().regex(/^rel_[0-9a-f]{16}$/, 'not a release id') });
// Any key: one the release does not have is a 404, whatever it looks like.
const obligationParams = idParams.extend({ key: z.string().min(1).max(300) });
const fulfilSchema = z.strictObject({ evidence: obligationEvidenceInputSchema });
const waiveSchema = z.strictObject({ reason: z.string().trim().min(1, 'a reason is required').max(4_000) });
const listQuery = z.strictObject({ status: z.enum(['open', 'cleared']).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) });

export function addReleaseRoutes(table: RouteTable, deps: ApiDependencies): void {
  table.add({
    method: 'post',
    path: '/releases',
    access: { kind: 'roles', roles: releaseKeepers },
    summary: "Create a release from an evaluated SBOM: its obligations become the release's checklist, its NOTICE's SHA-256 is recorded",
    ratePerMinute: 60,
    body: createSchema,
    responses: { 201: releaseResponseSchema },
    handlers: [
      async (req, res) => {
        const release = await createRelease(deps, { ...res.locals.input.body, createdBy: principalOf(res).user });
        res.status(201).location(`/releases/${release.id}`).json(release);
      },
    ],
  });
  table.add({
    method: 'get',
    path: '/releases',
    access: { kind: 'roles', roles: releaseReaders },
    summary: 'Releases, newest first, each with how many obligations are still open (filter by status)',
    query: listQuery,
    responses: { 200: listOf(releaseSummaryResponseSchema) },
    handlers: [
      async (req, res) => {
        res.json({ items: await findReleases(deps, res.locals.input.query) });
      },
    ],
  });
  table.add({
    method: 'get',
    path: '/releases/:id',
    access: { kind: 'roles', roles: releaseReaders },
    summary: 'A release and its obligations checklist: each obligation, the components that bring it, fulfilled (evidence) or waived (reason)',
    params: idParams,
    responses: { 200: releaseResponseSchema },
    handlers: [
      async (req, res) => {
        res.json(await readRelease(deps.db, res.locals.input.params.id));
      },
    ],
  });
  table.add({
    method: 'post',
    path: '/releases/:id/obligations/:key/fulfil',
    access: { kind: 'roles', roles: releaseKeepers },
    summary: 'Mark an obligation fulfilled with evidence: a URL, a file SHA-256, or the release NOTICE; the last one settled clears the release',
    ratePerMinute: 600,
    params: obligationParams,
    body: fulfilSchema,
    responses: { 200: releaseResponseSchema },
    handlers: [
      async (req, res) => {
        const { id, key } = res.locals.input.params;
        res.json(await markReleaseObligation(deps, { releaseId: id, key, by: principalOf(res).user, state: 'fulfilled', evidence: res.locals.input.body.evidence }));
      },
    ],
  });
  table.add({
    method: 'post',
    path: '/releases/:id/obligations/:key/waive',
    access: { kind: 'roles', roles: releaseKeepers },
    summary: 'Waive an obligation with a reason; the last one settled clears the release',
    ratePerMinute: 600,
    params: obligationParams,
    body: waiveSchema,
    responses: { 200: releaseResponseSchema },
    handlers: [
      async (req, res) => {
        const { id, key } = res.locals.input.params;
        res.json(await markReleaseObligation(deps, { releaseId: id, key, by: principalOf(res).user, state: 'waived', reason: res.locals.input.body.reason }));
      },
    ],
  });
}
