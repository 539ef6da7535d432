import type { Notice } from './notice.js';
import type { NotificationPolicy } from './notification-policy-schema.js';

/** One message to send: to a person (email) or to a shared room (chat, webhook: recipient `#<channel>`). */
export interface PlannedDelivery {
  recipient: string;
  channel: string;
  /** The email address; null for chat and webhook channels. */
  address: string | null;
  /** Collected into the recipient's daily digest instead of sent now. */
  held: boolean;
}

/**
 * Who gets a notice on which channel, by the routing file. Each
 * (recipient, channel) appears once however many routes match; people who
 * opted out of email get none, and the person who caused the event is not
 * told about it.
 */
export function planDeliveries(policy: NotificationPolicy, notice: Notice, options: { emailOptOuts: ReadonlySet<string>; actor?: string }): PlannedDelivery[] {
  const planned = new Map<string, PlannedDelivery>();
  const add = (delivery: PlannedDelivery): void => {
    const key = `${delivery.recipient}\n${delivery.channel}`;
    if (!planned.has(key)) planned.set(key, delivery);
  };
  for (const route of policy.routes) {
    if (!route.events.some((kind) => kind === notice.kind)) continue;
    const roles = new Set([...route.roles, ...(route.eventAudience ? notice.audienceRoles : [])]);
    const named = new Set([...route.recipients, ...(route.eventAudience ? notice.audienceUsers : [])]);
    for (const channelName of route.channels) {
      const channel = policy.channels[channelName];
      if (channel === undefined) continue;
      if (channel.type !== 'email') {
        add({ recipient: `#${channelName}`, channel: channelName, address: null, held: false });
        continue;
      }
      for (const [name, recipient] of Object.entries(policy.recipients)) {
        if (!named.has(name) && !recipient.roles.some((role) => roles.has(role))) continue;
        if (options.emailOptOuts.has(name) || name === options.actor) continue;
        add({ recipient: name, channel: channelName, address: recipient.email, held: recipient.digest === 'daily' });
      }
    }
  }
  return [...planned.values()];
}
