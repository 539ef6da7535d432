import type { NotificationDelivery } from '@clearance/contract';
import { button, card, notice, pageHeader } from '../components/bits.js';
import { api, describeError } from '../lib/api-client.js';
import { announce, h, replace } from '../lib/dom.js';
import { formatTime } from '../lib/format.js';
import type { Page } from '../lib/router.js';

/**
 * Admins' view of notices that could not be delivered after every retry: to
 * whom, on which channel (its name in the routing file, never its URL), the
 * last error, and a button that sends one again (a new round, audited).
 */
export const failedDeliveriesPage: Page = async ({ main, signal }) => {
  const body = h('div', {}, h('p', {}, 'Loading…'));
  main.append(
    pageHeader('Failed notifications'),
    card('Undelivered after every retry', h('p', { class: 'field-hint' }, 'Fix the channel (its URL, secret or server), then send the notice again.'), body),
  );

  const retry = async (delivery: NotificationDelivery, row: HTMLElement): Promise<void> => {
    try {
      await api('POST', `/notifications/deliveries/${encodeURIComponent(delivery.id)}/retry`, { signal });
      replace(row.querySelector('td.actions') ?? row, 'sent again');
      announce(`Notice to ${delivery.recipient} queued again`);
    } catch (error) {
      replace(row.querySelector('td.actions') ?? row, notice('error', `Could not retry: ${describeError(error)}`));
    }
  };

  const rowOf = (delivery: NotificationDelivery): HTMLElement => {
    const row = h(
      'tr',
      { 'data-delivery': delivery.id },
      h('td', {}, delivery.title),
      h('td', {}, delivery.eventKind),
      h('td', {}, delivery.recipient),
      h('td', {}, delivery.channel),
      h('td', { class: 'num' }, String(delivery.attempts)),
      h('td', {}, delivery.lastError ?? ''),
      h('td', {}, formatTime(delivery.updatedAt)),
      h('td', { class: 'actions' }),
    );
    row.querySelector('td.actions')?.append(button('Send again', () => void retry(delivery, row)));
    return row;
  };

  try {
    const { items } = await api<{ items: NotificationDelivery[] }>('GET', '/notifications/failed', { signal });
    replace(
      body,
      items.length === 0
        ? h('p', {}, 'Every notice was delivered.')
        : h(
            'table',
            { class: 'data', 'data-testid': 'failed-deliveries' },
            h(
              'thead',
              {},
              h('tr', {}, ...['Notice', 'Event', 'Recipient', 'Channel', 'Tries', 'Last error', 'Given up', ''].map((title) => h('th', {}, title))),
            ),
            h('tbody', {}, ...items.map(rowOf)),
          ),
    );
  } catch (error) {
    replace(body, notice('error', `Could not read the failed notifications: ${describeError(error)}`));
  }
};
