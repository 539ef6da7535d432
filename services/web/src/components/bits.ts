import { h, type Child } from '../lib/dom.js';

export type Tone = 'ok' | 'warn' | 'bad' | 'info' | 'muted';

/** A status word with a colour; the word itself carries the meaning (colour is never the only cue). */
export const badge = (text: string, tone: Tone): HTMLElement => h('span', { class: `badge ${tone}` }, text);

const verdictTones: Record<string, Tone> = { allow: 'ok', pass: 'ok', review: 'warn', deny: 'bad', fail: 'bad' };
export const verdictBadge = (verdict: string | null): HTMLElement => badge(verdict ?? 'pending', verdictTones[verdict ?? ''] ?? 'muted');

const statusTones: Record<string, Tone> = {
  approved: 'ok',
  'auto-approved': 'ok',
  rejected: 'bad',
  'auto-rejected': 'bad',
  'changes-requested': 'warn',
  'in-review': 'info',
  submitted: 'muted',
  enriching: 'muted',
  withdrawn: 'muted',
  queued: 'muted',
  evaluated: 'ok',
  failed: 'bad',
};
export const statusBadge = (status: string): HTMLElement => badge(status, statusTones[status] ?? 'muted');

export const notice = (tone: 'error' | 'success' | 'info', ...children: Child[]): HTMLElement =>
  h('div', { class: `notice ${tone}`, role: tone === 'error' ? 'alert' : 'status' }, ...children);

export const pageHeader = (title: string, ...extra: Child[]): HTMLElement => h('div', { class: 'page-header' }, h('h1', {}, title), ...extra);

export const card = (title: string, ...children: Child[]): HTMLElement => h('section', { class: 'card', 'aria-label': title }, h('h2', {}, title), ...children);

/** A definition list from label/value pairs, skipping empty values. */
export const facts = (pairs: Array<[string, Child]>): HTMLElement =>
  h('dl', { class: 'facts' }, ...pairs.filter(([, value]) => value !== null && value !== undefined && value !== '').flatMap(([label, value]) => [h('dt', {}, label), h('dd', {}, value)]));

export const button = (text: string, onClick: (event: Event) => void, props: Record<string, string | boolean> = {}): HTMLButtonElement =>
  h('button', { type: 'button', ...props, onclick: onClick }, text);
