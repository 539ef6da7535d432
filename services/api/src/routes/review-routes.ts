import { listOf, reviewItemResponseSchema } from '@clearance/contract';
import { reviewerRoles } from '@clearance/core';
import { reviewQueueFor } from '@clearance/services';
import { z } from 'zod';
import type { ApiDependencies } from '../api-dependencies.js';
import { principalOf } from '../http/auth.js';
import type { RouteTable } from '../http/route-table.js';
import { reviewQueueItemView } from './contribution-view.js';

const queueQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) });

export function addReviewRoutes(table: RouteTable, deps: ApiDependencies): void {
  table.add({
    method: 'get',
    path: '/reviews',
    access: { kind: 'roles', roles: reviewerRoles },
    summary: 'The review queue of the roles you hold: longest waiting first, with due time, enrichment, history and the routing explanation',
    query: queueQuery,
    responses: { 200: listOf(reviewItemResponseSchema) },
    handlers: [
      async (req, res) => {
        const { limit } = res.locals.input.query;
        const now = new Date();
        const items = await reviewQueueFor(deps, { principal: principalOf(res), limit, now });
        res.json({ items: items.map((item) => reviewQueueItemView(item, now)) });
      },
    ],
  });
}
