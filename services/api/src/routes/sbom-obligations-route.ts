import { sbomObligationsResponseSchema } from '@clearance/contract';
import { obligationsOfStoredSbom } from '@clearance/services';
import type { ApiDependencies } from '../api-dependencies.js';
import { principalOf } from '../http/auth.js';
import type { RouteTable } from '../http/route-table.js';
import { idParams, readableSbom, sbomReaders } from './sbom-routes.js';

export function addSbomObligationsRoute(table: RouteTable, deps: ApiDependencies): void {
  table.add({
    method: 'get',
    path: '/sboms/:id/obligations',
    access: { kind: 'roles', roles: sbomReaders },
    // Reads every finding of the SBOM: cheap once, not in a loop.
    ratePerMinute: 120,
    summary: 'The obligations of an evaluated SBOM under obligations.yaml: grouped by obligation, each license with its cited section and the components that bring it',
    params: idParams,
    responses: { 200: sbomObligationsResponseSchema },
    handlers: [
      async (req, res) => {
        const row = await readableSbom(deps, principalOf(res), req, res.locals.input.params.id);
        const groups = await obligationsOfStoredSbom(deps.db, deps.policy, row);
        res.json({ sbomId: row.id, evaluation: row.evaluation, policyVersion: deps.policy.version, groups });
      },
    ],
  });
}
