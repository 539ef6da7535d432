import { listOf, sbomDetailResponseSchema, sbomResponseSchema } from '@clearance/contract';
import { AppError, hasAnyRole, type Principal, type Role } from '@clearance/core';
import type { SbomRow } from '@clearance/db';
import { findFindings, findSboms, getSbom, requestSbomEvaluation, uploadSbom } from '@clearance/services';
import type { Request } from 'express';
import { z } from 'zod';
import type { ApiDependencies } from '../api-dependencies.js';
import { principalOf, recordNotOwner } from '../http/auth.js';
import type { RouteTable } from '../http/route-table.js';
import { decodeFindingCursor, encodeFindingCursor } from './finding-cursor.js';

/** Who may upload: compliance engineers, and engineers gating their own builds. */
const uploaders: readonly Role[] = ['compliance', 'legal', 'ospo', 'requester', 'admin'];
/** Who may read every SBOM; an uploader without these reads only their own. */
/** Who reads every SBOM (and so every SBOM's live changes); uploaders read their own. */
export const sbomReadersOfAll: readonly Role[] = ['compliance', 'legal', 'ospo', 'auditor', 'admin'];
/** Who may read an SBOM and its findings (its NOTICE too): `readableSbom` narrows uploaders to their own. */
export const sbomReaders: readonly Role[] = [...new Set([...uploaders, ...sbomReadersOfAll])];

export const idParams = z.strictObject({ id: z.string().regex(/^sbom_[0-9a-f]{20}$/, 'not an SBOM id') });

const findingsQuery = z.strictObject({
  verdict: z.enum(['allow', 'review', 'deny']).optional(),
  search: z.string().trim().min(1).max(200).optional(),
  sort: z.enum(['index', 'name', 'severity']).default('index'),
  cursor: z.string().max(2_000).optional(),
  limit: z.coerce.number().int().min(1).max(1_000).default(100),
}).transform((query, ctx) => {
  const after = query.cursor === undefined ? undefined : decodeFindingCursor(query.sort, query.cursor);
  if (after === null) {
    ctx.addIssue({ code: 'custom', path: ['cursor'], message: `not a cursor of a page sorted by ${query.sort}: pass back nextCursor as it was given` });
    return z.NEVER;
  }
  return { ...query, after };
});

const listQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) });

const filenameOf = (req: Request): string | null => {
  const name = req.get('x-filename') ?? (typeof req.query.filename === 'string' ? req.query.filename : undefined);
  // A file name is shown back to people: keep it short and printable.
  return name ? name.replace(/[^\w .@+-]/g, '_').slice(0, 200) : null;
};

export const sbomView = (row: SbomRow) => ({
  id: row.id,
  status: row.status,
  verdict: row.verdict,
  counts: row.counts,
  documentFindings: row.documentFindings,
  format: row.format,
  componentCount: row.componentCount,
  filename: row.filename,
  sha256: row.sha256,
  uploadedBy: row.uploadedBy,
  uploadedAt: row.uploadedAt.toISOString(),
  evaluation: row.evaluation,
  policyVersion: row.policyVersion,
  evaluatedAt: row.evaluatedAt?.toISOString() ?? null,
  error: row.error,
});

/**
 * Loads an SBOM the principal may see. Someone who may not see it gets the
 * same 404 as for a missing one (no probing of ids), and the attempt is audited.
 */
export async function readableSbom(deps: ApiDependencies, principal: Principal, req: Request, id: string): Promise<SbomRow> {
  const row = await getSbom(deps, id);
  if (row && (hasAnyRole(principal, sbomReadersOfAll) || row.uploadedBy === principal.user)) return row;
  if (row) await recordNotOwner(deps.db, req, { principal, readersOfAll: sbomReadersOfAll, policyVersion: deps.policy.version });
  throw new AppError('not_found', `no SBOM ${id}`);
}

export function addSbomRoutes(table: RouteTable, deps: ApiDependencies): void {
  table.add({
    method: 'post',
    path: '/sboms',
    access: { kind: 'roles', roles: uploaders },
    summary: 'Upload an SBOM (CycloneDX 1.2-1.7 JSON/XML, SPDX 2.2/2.3 JSON) as the request body; evaluated by a worker',
    bodyKind: 'raw',
    ratePerMinute: 60,
    responses: { 202: sbomResponseSchema },
    handlers: [
      async (req, res) => {
        const content = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        if (content.length === 0) throw new AppError('bad_request', 'the request body is empty: send the SBOM file as the body');
        const row = await uploadSbom(deps, { content, filename: filenameOf(req), uploadedBy: principalOf(res).user });
        res.status(202).location(`/sboms/${row.id}`).json(sbomView(row));
      },
    ],
  });
  table.add({
    method: 'get',
    path: '/sboms',
    access: { kind: 'roles', roles: sbomReaders },
    summary: 'Recent SBOMs (your own unless you may read all)',
    query: listQuery,
    responses: { 200: listOf(sbomResponseSchema) },
    handlers: [
      async (req, res) => {
        const { limit } = res.locals.input.query;
        const principal = principalOf(res);
        const rows = await findSboms(deps, { limit, uploadedBy: hasAnyRole(principal, sbomReadersOfAll) ? undefined : principal.user });
        res.json({ items: rows.map(sbomView) });
      },
    ],
  });
  table.add({
    method: 'get',
    path: '/sboms/:id',
    access: { kind: 'roles', roles: sbomReaders },
    summary: 'Status, verdict, counts and a page of findings (filter by verdict, search by name or purl, sort by index, name or severity)',
    params: idParams,
    query: findingsQuery,
    responses: { 200: sbomDetailResponseSchema },
    handlers: [
      async (req, res) => {
        const { id } = res.locals.input.params;
        const query = res.locals.input.query;
        const row = await readableSbom(deps, principalOf(res), req, id);
        const page = await findFindings(deps, { sbomId: id, verdict: query.verdict, search: query.search, sort: query.sort, after: query.after, limit: query.limit });
        res.json({ ...sbomView(row), findings: { items: page.items, nextCursor: encodeFindingCursor(page.nextCursor) } });
      },
    ],
  });
  table.add({
    method: 'post',
    path: '/sboms/:id/evaluations',
    access: { kind: 'roles', roles: ['compliance', 'legal', 'admin'] },
    summary: 'Evaluate the SBOM again under the current policy and waivers',
    bodyKind: 'none',
    params: idParams,
    responses: { 202: sbomResponseSchema },
    handlers: [
      async (req, res) => {
        const { id } = res.locals.input.params;
        await readableSbom(deps, principalOf(res), req, id);
        const row = await requestSbomEvaluation(deps, { sbomId: id, actor: principalOf(res).user });
        res.status(202).json(sbomView(row));
      },
    ],
  });
}
