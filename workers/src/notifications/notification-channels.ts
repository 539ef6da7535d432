import { slackMessage, teamsMessage, signatureHeader, timestampHeader, webhookBody, webhookSignature, type NotificationPolicy } from '@clearance/core';
import type { NotificationSender, OutgoingDelivery } from '@clearance/services';
import { createEmailChannel, type EmailSettings } from './email-channel.js';
import { postJson } from './post-json.js';

/** The channel CLEARANCE_NOTIFY_WEBHOOK_URL names: overdue stages as the plain JSON body it always had. */
export const legacyWebhookChannel = 'notify-webhook';

export interface NotificationChannelSettings {
  routing: NotificationPolicy | null;
  /** Where the routing file's urlEnv/secretEnv names are looked up (process.env). */
  env: Readonly<Record<string, string | undefined>>;
  email: EmailSettings | null;
}

export class NotificationConfigError extends Error {
  override readonly name = 'NotificationConfigError';
}

/**
 * The routing in force: the routing file plus, when CLEARANCE_NOTIFY_WEBHOOK_URL
 * is set, its one implicit route (overdue stages to that URL).
 */
export function effectiveRouting(routing: NotificationPolicy | null, legacyWebhookUrl: string | null): NotificationPolicy | null {
  if (legacyWebhookUrl === null) return routing;
  const base: NotificationPolicy = routing ?? { version: 1, channels: {}, recipients: {}, routes: [], waiverExpiryDays: [30, 7, 1] };
  return {
    ...base,
    channels: { ...base.channels, [legacyWebhookChannel]: { type: 'json', urlEnv: 'CLEARANCE_NOTIFY_WEBHOOK_URL' } },
    routes: [...base.routes, { events: ['stage.overdue'], channels: [legacyWebhookChannel], roles: [], recipients: [], eventAudience: false }],
  };
}

/**
 * One sender for every channel of the routing in force (effectiveRouting), its URLs and secrets read
 * once at start from the variables the file names. A variable that is unset
 * stops the process with its name (never its value).
 */
export function createNotificationSender(settings: NotificationChannelSettings): { send: NotificationSender; close(): void } {
  const problems: string[] = [];
  const valueOf = (name: string, channel: string, kind: 'url' | 'secret' = 'url'): string => {
    const value = settings.env[name]?.trim();
    if (value === undefined || value === '') problems.push(`${name}: is required by channel "${channel}" of notifications.yaml`);
    else if (kind === 'url' && !/^https?:\/\/\S+$/.test(value)) problems.push(`${name}: an http:// or https:// URL`);
    return value ?? '';
  };
  const senders = new Map<string, (delivery: OutgoingDelivery) => Promise<void>>();
  let email: ReturnType<typeof createEmailChannel> | null = null;
  for (const [name, channel] of Object.entries(settings.routing?.channels ?? {})) {
    if (channel.type === 'email') {
      if (settings.email === null) {
        problems.push(`CLEARANCE_SMTP_URL: is required by channel "${name}" of notifications.yaml`);
        continue;
      }
      email ??= createEmailChannel(settings.email);
      const emailChannel = email;
      senders.set(name, (delivery) => emailChannel.send(delivery));
    } else if (channel.type === 'slack') {
      const url = valueOf(channel.urlEnv, name);
      senders.set(name, (delivery) => postJson(url, JSON.stringify(slackMessage(delivery.notice)), { what: `Slack channel "${name}"` }));
    } else if (channel.type === 'teams') {
      const url = valueOf(channel.urlEnv, name);
      senders.set(name, (delivery) => postJson(url, JSON.stringify(teamsMessage(delivery.notice)), { what: `Teams channel "${name}"` }));
    } else if (channel.type === 'json') {
      const url = valueOf(channel.urlEnv, name);
      const what = name === legacyWebhookChannel ? 'the notification webhook' : `JSON webhook "${name}"`;
      senders.set(name, (delivery) => postJson(url, JSON.stringify(delivery.notice.data), { what }));
    } else {
      const url = valueOf(channel.urlEnv, name);
      const secret = valueOf(channel.secretEnv, name, 'secret');
      senders.set(name, (delivery) => {
        const body = JSON.stringify(webhookBody(delivery.id, delivery.notice));
        const timestamp = Math.floor(Date.now() / 1000);
        return postJson(url, body, {
          what: `webhook "${name}"`,
          headers: { [timestampHeader]: String(timestamp), [signatureHeader]: webhookSignature(secret, timestamp, body), 'x-clearance-delivery': delivery.id },
        });
      });
    }
  }
  if (problems.length > 0) throw new NotificationConfigError(`invalid notification settings:\n  ${problems.join('\n  ')}`);
  return {
    send: (delivery) => {
      const sender = senders.get(delivery.channel);
      if (sender === undefined) return Promise.reject(new Error(`channel "${delivery.channel}" is not in the routing file in force`));
      return sender(delivery);
    },
    close: () => email?.close(),
  };
}
