import { z } from 'zod';

/** A person's own notification choices. */
export const notificationPreferencesResponseSchema = z.strictObject({
  user: z.string(),
  emailOptOut: z.boolean(),
});

/** One delivery as admins see it: no URL or secret, only the channel's name from the routing file. */
export const notificationDeliveryResponseSchema = z.strictObject({
  id: z.string(),
  eventKey: z.string(),
  eventKind: z.string(),
  recipient: z.string(),
  channel: z.string(),
  state: z.enum(['pending', 'held', 'digested', 'sent', 'failed']),
  round: z.number().int().positive(),
  attempts: z.number().int().nonnegative(),
  lastError: z.string().nullable(),
  title: z.string(),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
  sentAt: z.iso.datetime({ offset: true }).nullable(),
});
export type NotificationDelivery = z.infer<typeof notificationDeliveryResponseSchema>;
