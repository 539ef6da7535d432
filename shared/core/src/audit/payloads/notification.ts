import { z } from 'zod';

/** Audit payloads of notifications: a delivery that failed for good, an admin's retry, a person's email choice. */
export const notificationAuditPayloads = [
  z.strictObject({
    type: z.literal('notification.failed'),
    deliveryId: z.string(),
    eventKind: z.string(),
    eventKey: z.string(),
    channel: z.string(),
    recipient: z.string(),
    attempts: z.number().int().nonnegative(),
    /** Why the last try failed, as the adapter said it (never a URL or a password). */
    error: z.string(),
  }),
  z.strictObject({
    type: z.literal('notification.retried'),
    deliveryId: z.string(),
    by: z.string(),
  }),
  z.strictObject({
    type: z.literal('notification.preferences-changed'),
    user: z.string(),
    emailOptOut: z.boolean(),
  }),
  z.strictObject({
    type: z.literal('audit.verify-failed'),
    /** The first sequence number that did not verify, when the report names one. */
    firstBadSeq: z.number().int().nullable(),
    problem: z.string(),
  }),
] as const;
