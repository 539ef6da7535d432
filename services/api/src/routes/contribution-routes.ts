import { contributionDetailResponseSchema, contributionResponseSchema, decisionResultResponseSchema, pageOf } from '@clearance/contract';
import {
  AppError,
  contributionRequestInputSchema,
  contributionStatusSchema,
  decisionKindSchema,
  DECISION_REASON_MAX,
  hasAnyRole,
  isAppError,
  parseUpstreamUrl,
  reviewerRoles,
  type Principal,
  type Role,
} from '@clearance/core';
import type { ContributionRecord } from '@clearance/db';
import {
  ContributionIntake,
  contributionIdPattern,
  decideContribution,
  findContributions,
  getContributionDetail,
  resubmitContribution,
  withdrawContribution,
  type ContributionDetail,
} from '@clearance/services';
import type { Request } from 'express';
import { z } from 'zod';
import type { ApiDependencies } from '../api-dependencies.js';
import { principalOf, recordDenial, recordNotOwner, routePathOf } from '../http/auth.js';
import type { Access, RouteTable } from '../http/route-table.js';
import { parseBody } from '../http/validate.js';
import { contributionDetailView, contributionView, decisionView } from './contribution-view.js';

/** Engineers submit; a reviewer who also contributes holds `requester` as well. */
const requesters: readonly Role[] = ['requester'];
/** Who may read every request: reviewers of any role (they need the context), auditors and admins. */
/** Who reads every request (and so every request's live changes); the rest read their own. */
export const contributionReadersOfAll: readonly Role[] = [...reviewerRoles, 'auditor', 'admin'];
const readers: Access = { kind: 'roles', roles: [...requesters, ...contributionReadersOfAll] };
const deciders: Access = { kind: 'roles', roles: reviewerRoles };

const idParams = z.strictObject({ id: z.string().regex(contributionIdPattern, 'not a contribution request id') });

const upstreamQuery = z.string().transform((input, ctx) => {
  const parsed = parseUpstreamUrl(input);
  if (!parsed.ok) {
    ctx.issues.push({ code: 'custom', message: parsed.message, input });
    return z.NEVER;
  }
  return parsed.value;
});

/** Keyset paging cursor: the creation time and id of the last item seen. */
const cursorField = z
  .string()
  .regex(/^\d{4}-\d\d-\d\dT[\d:.]+Z_ctr_[0-9a-f]{20}$/, 'a cursor from a previous page')
  .transform((cursor) => {
    const split = cursor.indexOf('_');
    return { createdAt: new Date(cursor.slice(0, split)), id: cursor.slice(split + 1) };
  });

const listQuery = z.strictObject({
  requester: z.string().trim().min(1).max(200).optional(),
  status: contributionStatusSchema.optional(),
  upstream: upstreamQuery.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: cursorField.optional(),
});

const decisionBody = z.strictObject({
  decision: decisionKindSchema,
  reason: z.string().max(DECISION_REASON_MAX, `the reason must be at most ${DECISION_REASON_MAX} characters`).nullable().optional(),
  /** The stage the reviewer looked at (0-based); a decision on a stage decided meanwhile is then refused with 409. */
  stageIndex: z.number().int().nonnegative().optional(),
});


/**
 * Loads a request the principal may read. Anyone else gets the same 404 as
 * for a missing one (ids cannot be probed), and the attempt is audited.
 */
async function readableContribution(deps: ApiDependencies, principal: Principal, req: Request, id: string): Promise<ContributionDetail> {
  const detail = await getContributionDetail(deps, id);
  if (detail && (hasAnyRole(principal, contributionReadersOfAll) || detail.record.state.requester === principal.user)) return detail;
  if (detail) await recordNotOwner(deps.db, req, { principal, readersOfAll: contributionReadersOfAll, policyVersion: deps.policy.version });
  throw new AppError('not_found', `no contribution request ${id}`);
}

/**
 * A rule refusing the principal (their own request, a stage of a role they
 * lack, a second stage) is an attempt an auditor wants to see, like a
 * refused route.
 */
async function auditingRefusals<T>(deps: ApiDependencies, req: Request, principal: Principal, access: Access, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isAppError(error) && error.code === 'forbidden') {
      await recordDenial(deps.db, { principal, method: req.method, route: routePathOf(req), reason: 'forbidden', requiredRoles: access, policyVersion: deps.policy.version });
    }
    throw error;
  }
}

const cursorOf = (records: readonly ContributionRecord[], limit: number): string | null => {
  const last = records.at(-1);
  return records.length === limit && last ? `${last.createdAt.toISOString()}_${last.state.id}` : null;
};

export function addContributionRoutes(table: RouteTable, deps: ApiDependencies): void {
  const intake = new ContributionIntake(deps);
  table.add({
    method: 'post',
    path: '/contributions',
    access: { kind: 'roles', roles: requesters },
    summary: 'Submit a contribution request (tier, upstream or new project, title, justification, links, size, flags); routed by a worker',
    ratePerMinute: 30,
    body: contributionRequestInputSchema,
    responses: { 202: contributionResponseSchema },
    handlers: [
      async (req, res) => {
        const request = res.locals.input.body;
        const record = await intake.submit({ principal: principalOf(res), request });
        res.status(202).location(`/contributions/${record.state.id}`).json(contributionView(record));
      },
    ],
  });
  table.add({
    method: 'get',
    path: '/contributions',
    access: readers,
    summary: 'Contribution requests, newest first: your own, or (reviewers, auditors) anyone\'s by requester, status or upstream',
    query: listQuery,
    responses: { 200: pageOf(contributionResponseSchema) },
    handlers: [
      async (req, res) => {
        const query = res.locals.input.query;
        const principal = principalOf(res);
        const readsAll = hasAnyRole(principal, contributionReadersOfAll);
        if (!readsAll && query.requester !== undefined && query.requester !== principal.user) {
          await recordNotOwner(deps.db, req, { principal, readersOfAll: contributionReadersOfAll, policyVersion: deps.policy.version });
          throw new AppError('forbidden', 'you may list only your own requests');
        }
        const records = await findContributions(deps, {
          limit: query.limit,
          requester: readsAll ? query.requester : principal.user,
          status: query.status,
          upstream: query.upstream,
          before: query.cursor,
        });
        res.json({ items: records.map(contributionView), nextCursor: cursorOf(records, query.limit) });
      },
    ],
  });
  table.add({
    method: 'get',
    path: '/contributions/:id',
    access: readers,
    summary: 'One request: status, stages and due times, decisions, routing plan and explanation, enrichment, all revisions',
    params: idParams,
    responses: { 200: contributionDetailResponseSchema },
    handlers: [
      async (req, res) => {
        const { id } = res.locals.input.params;
        res.json(contributionDetailView(await readableContribution(deps, principalOf(res), req, id)));
      },
    ],
  });
  table.add({
    method: 'post',
    path: '/contributions/:id/withdraw',
    access: { kind: 'roles', roles: requesters },
    summary: 'Withdraw your open request (decisions already made stay)',
    bodyKind: 'none',
    params: idParams,
    responses: { 200: contributionResponseSchema },
    handlers: [
      async (req, res) => {
        const { id } = res.locals.input.params;
        const principal = principalOf(res);
        await readableContribution(deps, principal, req, id);
        const record = await auditingRefusals(deps, req, principal, { kind: 'roles', roles: requesters }, () =>
          withdrawContribution(deps, { id, principal }),
        );
        res.json(contributionView(record));
      },
    ],
  });
  table.add({
    method: 'post',
    path: '/contributions/:id/revisions',
    access: { kind: 'roles', roles: requesters },
    summary: 'Resubmit after a rejection, a change request or a withdrawal: a new revision linked to this one (body: the new request, or {} to send it again unchanged)',
    ratePerMinute: 30,
    params: idParams,
    responses: { 202: contributionResponseSchema },
    handlers: [
      async (req, res) => {
        const { id } = res.locals.input.params;
        const principal = principalOf(res);
        const body: unknown = req.body;
        const unchanged = body === undefined || (typeof body === 'object' && body !== null && Object.keys(body).length === 0);
        const request = unchanged ? undefined : parseBody(req, contributionRequestInputSchema);
        await readableContribution(deps, principal, req, id);
        const record = await auditingRefusals(deps, req, principal, { kind: 'roles', roles: requesters }, () =>
          resubmitContribution(deps, { principal, previousId: id, ...(request === undefined ? {} : { request }) }),
        );
        res.status(202).location(`/contributions/${record.state.id}`).json(contributionView(record));
      },
    ],
  });
  table.add({
    method: 'post',
    path: '/contributions/:id/decisions',
    access: deciders,
    summary: 'Decide the current stage: approve, reject (reason required) or request changes (reason required); stageIndex guards against deciding a stage someone else just decided',
    ratePerMinute: 120,
    params: idParams,
    body: decisionBody,
    responses: { 201: decisionResultResponseSchema },
    handlers: [
      async (req, res) => {
        const { id } = res.locals.input.params;
        const body = res.locals.input.body;
        const principal = principalOf(res);
        // Every decider reads every request (reviewer roles are among contributionReadersOfAll): no read check to
        // make, and a missing request is the service's 404. The service loads the request once.
        const result = await auditingRefusals(deps, req, principal, deciders, () =>
          decideContribution(deps, {
            id,
            principal,
            decision: { decision: body.decision, reason: body.reason ?? null, ...(body.stageIndex === undefined ? {} : { stageIndex: body.stageIndex }) },
          }),
        );
        res.status(201).json({ decision: decisionView(result.decision), outcome: result.outcome, request: contributionView(result.record) });
      },
    ],
  });
}
