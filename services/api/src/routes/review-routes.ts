import { pageOf, reviewItemResponseSchema } from '@clearance/contract';
import { reviewerRoles } from '@clearance/core';
import { reviewQueueFor } from '@clearance/services';
import { z } from 'zod';
import type { ApiDependencies } from '../api-dependencies.js';
import { principalOf } from '../http/auth.js';
import type { RouteTable } from '../http/route-table.js';
import { reviewQueueItemView } from './contribution-view.js';

const microTime = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;
const queueKeySchema = z.tuple([z.string().regex(microTime), z.string().regex(microTime), z.string().regex(/^ctr_[0-9a-f]{20}$/)]);

/** The cursor is the last item's order key as opaque base64url JSON: clients pass nextCursor back untouched. */
const cursorField = z
  .string()
  .max(300)
  .transform((cursor, ctx) => {
    try {
      const [stageStartedAt, createdAt, id] = queueKeySchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
      return { stageStartedAt, createdAt, id };
    } catch {
      ctx.addIssue({ code: 'custom', message: 'a cursor from a previous page: pass back nextCursor as it was given' });
      return z.NEVER;
    }
  });

const queueQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50), cursor: cursorField.optional() });

export function addReviewRoutes(table: RouteTable, deps: ApiDependencies): void {
  table.add({
    method: 'get',
    path: '/reviews',
    access: { kind: 'roles', roles: reviewerRoles },
    summary: 'The review queue of the roles you hold: longest waiting first, with due time, enrichment, history and the routing explanation; cursor paging through all of it',
    query: queueQuery,
    responses: { 200: pageOf(reviewItemResponseSchema) },
    handlers: [
      async (req, res) => {
        const { limit, cursor } = res.locals.input.query;
        const now = new Date();
        const page = await reviewQueueFor(deps, { principal: principalOf(res), limit, after: cursor, now });
        const nextCursor = page.next === null ? null : Buffer.from(JSON.stringify([page.next.stageStartedAt, page.next.createdAt, page.next.id])).toString('base64url');
        res.json({ items: page.items.map((item) => reviewQueueItemView(item, now)), nextCursor });
      },
    ],
  });
}
