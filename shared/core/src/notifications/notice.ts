import { z } from 'zod';
import { roleSchema } from '../auth/roles.js';
import { notificationEventKindSchema } from './event-kinds.js';

/**
 * One thing to tell people, built once from the event that caused it and
 * stored with each delivery, so a retry sends what the first try would have.
 * Text is plain: each channel escapes it for its own markup.
 */
export const noticeSchema = z.strictObject({
  kind: z.union([notificationEventKindSchema, z.literal('digest')]),
  /** Unique per event (`audit.<seq>`, `waiver.<id>.<days>d`, `digest.<day>`): with recipient and channel, the idempotency key. */
  key: z.string().min(1).max(200),
  title: z.string().max(500),
  text: z.string().max(20_000),
  /** Name/value pairs shown as facts in chat cards and listed in email. */
  facts: z.array(z.strictObject({ name: z.string(), value: z.string() })),
  /** Machine-readable fields for webhook receivers. */
  data: z.record(z.string(), z.unknown()),
  /** Who the event is about: the roles that must act and the users concerned (a requester, an uploader). */
  audienceRoles: z.array(roleSchema),
  audienceUsers: z.array(z.string()),
});
export type Notice = z.infer<typeof noticeSchema>;
