import { listOf, notificationDeliveryResponseSchema, notificationPreferencesResponseSchema, type NotificationDelivery } from '@clearance/contract';
import type { DeliveryRow } from '@clearance/db';
import { listFailedDeliveries, notificationPreferencesOf, retryFailedDelivery, setEmailOptOut } from '@clearance/services';
import { z } from 'zod';
import type { ApiDependencies } from '../api-dependencies.js';
import { principalOf } from '../http/auth.js';
import type { RouteTable } from '../http/route-table.js';

const preferencesBody = z.strictObject({ emailOptOut: z.boolean() });
const deliveryParams = z.strictObject({ id: z.string().regex(/^ntf_[0-9a-f]{32}$/, 'not a delivery id') });

const titleOf = (notice: unknown): string =>
  typeof notice === 'object' && notice !== null && 'title' in notice && typeof notice.title === 'string' ? notice.title : '';

// The address is left out: admins need the recipient's name and the error, not a directory of email addresses.
const deliveryView = (row: DeliveryRow): NotificationDelivery => ({
  id: row.id,
  eventKey: row.eventKey,
  eventKind: row.eventKind,
  recipient: row.recipient,
  channel: row.channel,
  state: row.state,
  round: row.round,
  attempts: row.attempts,
  lastError: row.lastError,
  title: titleOf(row.notice),
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
  sentAt: row.sentAt?.toISOString() ?? null,
});

export function addNotificationRoutes(table: RouteTable, deps: ApiDependencies): void {
  table.add({
    method: 'get',
    path: '/me/notifications',
    access: { kind: 'authenticated' },
    summary: 'Your own notification settings (email opt-out)',
    responses: { 200: notificationPreferencesResponseSchema },
    handlers: [
      async (req, res) => {
        res.json(await notificationPreferencesOf(deps, principalOf(res).user));
      },
    ],
  });
  table.add({
    method: 'put',
    path: '/me/notifications',
    access: { kind: 'authenticated' },
    summary: 'Turn email notices off or on for yourself (audited)',
    ratePerMinute: 30,
    body: preferencesBody,
    responses: { 200: notificationPreferencesResponseSchema },
    handlers: [
      async (req, res) => {
        res.json(await setEmailOptOut(deps, { user: principalOf(res).user, emailOptOut: res.locals.input.body.emailOptOut }));
      },
    ],
  });
  table.add({
    method: 'get',
    path: '/notifications/failed',
    access: { kind: 'roles', roles: ['admin'] },
    summary: 'Notification deliveries that failed after every retry, newest first',
    responses: { 200: listOf(notificationDeliveryResponseSchema) },
    handlers: [
      async (req, res) => {
        res.json({ items: (await listFailedDeliveries(deps)).map(deliveryView) });
      },
    ],
  });
  table.add({
    method: 'post',
    path: '/notifications/deliveries/:id/retry',
    access: { kind: 'roles', roles: ['admin'] },
    summary: 'Send a failed delivery again (a new round of retries; audited)',
    ratePerMinute: 60,
    bodyKind: 'none',
    params: deliveryParams,
    responses: { 202: notificationDeliveryResponseSchema },
    handlers: [
      async (req, res) => {
        const retried = await retryFailedDelivery(deps, { id: res.locals.input.params.id, by: principalOf(res).user });
        deps.nudgeRelay();
        res.status(202).json(deliveryView(retried));
      },
    ],
  });
}
