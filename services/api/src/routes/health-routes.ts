import { openObject } from '@clearance/contract';
import { z } from 'zod';
import type { ReadinessReport } from '../readiness.js';
import type { RouteTable } from '../http/route-table.js';

export function addHealthRoutes(table: RouteTable, readiness: () => Promise<ReadinessReport>): void {
  table.add({
    method: 'get',
    path: '/healthz',
    access: { kind: 'public' },
    summary: 'The process is alive',
    responses: { 200: z.strictObject({ status: z.literal('ok') }) },
    handlers: [
      (_req, res) => {
        res.json({ status: 'ok' });
      },
    ],
  });
  table.add({
    method: 'get',
    path: '/readyz',
    access: { kind: 'public' },
    summary: 'The database and Redis answer and the workers made progress recently',
    responses: { 200: openObject },
    handlers: [
      async (_req, res) => {
        const report = await readiness();
        res.status(report.ready ? 200 : 503).json(report);
      },
    ],
  });
}
