import { card, pageHeader } from '../components/bits.js';
import { eventSummary } from '../components/audit-event-list.js';
import { api } from '../lib/api-client.js';
import type { AuditEvent } from '@clearance/contract';
import { h } from '../lib/dom.js';
import { formatTime, plural } from '../lib/format.js';
import type { Page } from '../lib/router.js';

/** Everything that happened to one subject, in order: the story an auditor reads. */
export const auditSubjectPage: Page = async ({ main, params, signal }) => {
  const type = params.type ?? '';
  const id = params.id ?? '';
  main.append(pageHeader(`Timeline of ${type} ${id}`, h('a', { href: '#/audit' }, '← Audit search')));
  const { items } = await api<{ items: AuditEvent[] }>('GET', `/audit/subjects/${encodeURIComponent(type)}/${encodeURIComponent(id)}`, { signal });
  main.append(
    card(
      plural(items.length, 'event'),
      items.length === 0
        ? h('p', { class: 'empty' }, 'No events for this subject.')
        : h(
            'ol',
            { class: 'timeline', 'data-testid': 'timeline' },
            ...items.map((event) =>
              h(
                'li',
                {},
                h('div', { class: 'when' }, formatTime(event.occurredAt), h('span', { class: 'muted' }, ` · seq ${event.seq}`)),
                h('div', {}, h('strong', {}, event.actor), ' ', h('code', {}, event.action)),
                eventSummary(event),
              ),
            ),
          ),
    ),
  );
};
