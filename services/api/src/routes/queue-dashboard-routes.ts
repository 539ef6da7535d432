import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { jobNames, type QueueRegistry } from '@clearance/queue';
import type { RequestHandler } from 'express';
import type { RouteTable } from '../http/route-table.js';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/**
 * bull-board over every queue of the job catalog, for operators (role
 * admin). A browser opens it by navigation, so it also takes the web UI's
 * session cookie (`POST /ui/session`). Failed jobs may be retried from it: a
 * retry after a GitHub outage is its main use, and it is safe because workers
 * parse payloads again and the database, not Redis, decides whether work is
 * still to be done.
 */
export function addQueueDashboardRoutes(table: RouteTable, queues: QueueRegistry): void {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: jobNames.map((name) => new BullMQAdapter(queues.get(name), { allowRetries: true })),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Clearance queues' } },
  });
  const dashboard = serverAdapter.getRouter() as RequestHandler;
  table.add({
    method: 'get',
    path: QUEUE_DASHBOARD_PATH,
    access: { kind: 'roles', roles: ['admin'] },
    summary: 'The BullMQ queue dashboard (bull-board) over the job catalog; a browser opens it with the session cookie from POST /ui/session',
    subtree: true,
    acceptsUiSession: true,
    // bull-board reads its own JSON bodies (retry, clean, pause).
    bodyKind: 'none',
    handlers: [dashboard],
  });
}
