import { z } from 'zod';

/**
 * The events people can be told about, as the routing file names them. What
 * each is keyed on and how it is rendered is the event-kind table in
 * shared/services (notification-event-kinds.ts); this list is the names only,
 * so the policy schema can check them without I/O.
 */
export const notificationEventKinds = [
  'stage.waiting',
  'stage.overdue',
  'request.decided',
  'sbom.verdict',
  'waiver.expiring',
  'obligation.due',
  'audit.verify-failed',
] as const;

export const notificationEventKindSchema = z.enum(notificationEventKinds);
export type NotificationEventKind = z.infer<typeof notificationEventKindSchema>;
