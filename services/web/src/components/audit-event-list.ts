import type { AuditEvent } from '@clearance/contract';
import { h } from '../lib/dom.js';
import { formatTime, shortHash } from '../lib/format.js';

/** The payload fields a person looks for first; the whole payload is one click away. */
const highlights = ['title', 'decision', 'outcome', 'reason', 'verdict', 'tier', 'upstream', 'rule', 'justification', 'filename', 'user'];

export function eventSummary(event: AuditEvent): HTMLElement {
  const parts = highlights
    .filter((key) => event.payload[key] !== undefined && event.payload[key] !== null && typeof event.payload[key] !== 'object')
    .map((key) => h('span', { class: 'kv' }, h('span', { class: 'k' }, `${key}: `), String(event.payload[key] as string | number | boolean)));
  return h(
    'div',
    { class: 'event-summary' },
    ...parts,
    h('details', {}, h('summary', {}, 'Payload and hashes'), h('pre', {}, JSON.stringify({ payload: event.payload, policyVersion: event.policyVersion, prevHash: event.prevHash, hash: event.hash }, null, 2))),
  );
}

export const subjectLink = (event: AuditEvent): HTMLElement =>
  h('a', { href: `#/audit/subjects/${encodeURIComponent(event.subjectType)}/${encodeURIComponent(event.subjectId)}` }, `${event.subjectType}:${event.subjectId}`);

export function eventRows(events: AuditEvent[]): HTMLElement[] {
  return events.map((event) =>
    h(
      'tr',
      {},
      h('td', { class: 'num' }, event.seq),
      h('td', { class: 'nowrap' }, formatTime(event.occurredAt)),
      h('td', {}, event.actor),
      h('td', {}, h('code', {}, event.action)),
      h('td', { class: 'subject' }, subjectLink(event)),
      h('td', {}, eventSummary(event)),
      h('td', {}, h('code', { title: event.hash }, shortHash(event.hash))),
    ),
  );
}

export const eventTableHead = (): HTMLElement =>
  h('thead', {}, h('tr', {}, ...['Seq', 'Time', 'Actor', 'Action', 'Subject', 'What', 'Hash'].map((title) => h('th', { scope: 'col' }, title))));
