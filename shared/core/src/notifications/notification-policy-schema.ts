import { z } from 'zod';
import { roleSchema } from '../auth/roles.js';
import { notificationEventKindSchema } from './event-kinds.js';

const envName = z.string().regex(/^[A-Z][A-Z0-9_]{0,99}$/, 'the NAME of an environment variable (upper case), never the secret itself');
const channelName = z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, 'a channel name: lower case letters, digits and -');
const userName = z.string().min(1).max(200);

/** Webhook URLs carry their token and signing keys are secrets: the file names the variables that hold them. */
export const notificationChannelSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('email') }),
  z.strictObject({ type: z.literal('slack'), urlEnv: envName }),
  z.strictObject({ type: z.literal('teams'), urlEnv: envName }),
  z.strictObject({ type: z.literal('webhook'), urlEnv: envName, secretEnv: envName }),
  /** The notice's data as a plain, unsigned JSON body: what CLEARANCE_NOTIFY_WEBHOOK_URL has always received. */
  z.strictObject({ type: z.literal('json'), urlEnv: envName }),
]);
export type NotificationChannel = z.infer<typeof notificationChannelSchema>;

export const notificationRecipientSchema = z.strictObject({
  email: z.email('an email address'),
  roles: z.array(roleSchema).default([]),
  /** `daily`: email notices are collected and sent as one message a day. */
  digest: z.enum(['none', 'daily']).default('none'),
});
export type NotificationRecipient = z.infer<typeof notificationRecipientSchema>;

export const notificationRouteSchema = z.strictObject({
  events: z.array(notificationEventKindSchema).min(1),
  channels: z.array(channelName).min(1),
  /** Email goes to the named recipients holding one of these roles. */
  roles: z.array(roleSchema).default([]),
  /** Named recipients (keys of `recipients`) who get it whatever their roles. */
  recipients: z.array(userName).default([]),
  /** Also the roles and users the event itself names (the stage's roles, the requester). */
  eventAudience: z.boolean().default(false),
});
export type NotificationRoute = z.infer<typeof notificationRouteSchema>;

/** policies/notifications.yaml: channels, people, and which events go where. */
export const notificationPolicySchema = z
  .strictObject({
    version: z.literal(1),
    channels: z.record(channelName, notificationChannelSchema),
    recipients: z.record(userName, notificationRecipientSchema).default({}),
    routes: z.array(notificationRouteSchema),
    /** A waiver gets one "expiring" notice per threshold it crosses (days before its expiry). */
    waiverExpiryDays: z.array(z.number().int().min(1).max(365)).default([30, 7, 1]),
  })
  .superRefine((policy, ctx) => {
    policy.routes.forEach((route, index) => {
      route.channels.forEach((channel, at) => {
        if (policy.channels[channel] === undefined) {
          ctx.addIssue({ code: 'custom', path: ['routes', index, 'channels', at], message: `no channel "${channel}" in channels` });
        }
      });
      route.recipients.forEach((name, at) => {
        if (policy.recipients[name] === undefined) {
          ctx.addIssue({ code: 'custom', path: ['routes', index, 'recipients', at], message: `no recipient "${name}" in recipients` });
        }
      });
    });
  });
export type NotificationPolicy = z.infer<typeof notificationPolicySchema>;
