import { listOf, tierDescriptionSchema } from '@clearance/contract';
import { describeTiers, type PolicyContext } from '@clearance/services';
import type { RouteTable } from '../http/route-table.js';

export function addPolicyRoutes(table: RouteTable, policy: PolicyContext): void {
  table.add({
    method: 'get',
    path: '/policy/tiers',
    access: { kind: 'authenticated' },
    summary: 'The contribution tiers in escalation order, with the label and description the policy gives each (forms and filters are built from it)',
    responses: { 200: listOf(tierDescriptionSchema) },
    handlers: [
      (_req, res) => {
        res.json({ items: describeTiers(policy) });
      },
    ],
  });
}
