import { card, notice, pageHeader, statusBadge } from '../components/bits.js';
import { dueCell, stageLabel } from '../components/contribution-parts.js';
import { api, describeError, query } from '../lib/api-client.js';
import type { Contribution, Page as ApiPage } from '@clearance/contract';
import { h, replace } from '../lib/dom.js';
import { formatTime } from '../lib/format.js';
import { live } from '../lib/live.js';
import type { Page } from '../lib/router.js';

function currentStep(request: Contribution): HTMLElement | string {
  const stage = request.currentStage === null ? undefined : request.stages[request.currentStage];
  if (stage) return h('span', {}, stageLabel(stage, request.stages.length), h('br', {}), 'Due ', dueCell(stage));
  if (request.status === 'submitted' || request.status === 'enriching') return 'Being checked with GitHub and routed…';
  return request.decidedAt ? `Decided ${formatTime(request.decidedAt)}` : '—';
}

const rows = (items: Contribution[]): HTMLElement[] =>
  items.map((request) =>
    h(
      'tr',
      {},
      h('td', {}, h('a', { href: `#/requests/${request.id}` }, request.title), request.revision > 1 ? h('span', { class: 'muted' }, ` (revision ${request.revision})`) : null),
      h('td', {}, request.tier),
      h('td', {}, statusBadge(request.status)),
      h('td', {}, currentStep(request)),
      h('td', {}, formatTime(request.createdAt)),
    ),
  );

/** The requester's own requests, newest first, kept current while the page is open. */
export const myRequestsPage: Page = ({ main, signal }) => {
  const body = h('tbody', {});
  const status = h('div', {});
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Show older requests');
  let limit = 50;
  more.addEventListener('click', () => {
    limit += 50;
    void refresh();
  });
  main.append(
    pageHeader('My requests', h('a', { href: '#/requests/new', class: 'button' }, 'New request')),
    status,
    card(
      'Requests',
      h(
        'div',
        { class: 'table-scroll' },
        h(
          'table',
          { class: 'data', 'data-testid': 'my-requests' },
          h('caption', { class: 'visually-hidden' }, 'Your contribution requests, newest first'),
          h('thead', {}, h('tr', {}, ...['Title', 'Tier', 'Status', 'Where it is', 'Submitted'].map((title) => h('th', { scope: 'col' }, title)))),
          body,
        ),
      ),
      more,
    ),
  );
  const refresh = async (): Promise<void> => {
    const page = await api<ApiPage<Contribution>>('GET', `/contributions${query({ limit })}`, { signal });
    replace(body, ...rows(page.items));
    if (page.items.length === 0) replace(body, h('tr', {}, h('td', { colspan: '5', class: 'empty' }, 'No requests yet. Use “New request” to ask for one.')));
    more.hidden = page.nextCursor === null;
    replace(status);
  };
  live(refresh, { subjectType: 'contribution' }, signal, (error) => replace(status, notice('error', `Could not load your requests: ${describeError(error)}`)));
};
