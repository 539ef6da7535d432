import { badge, card, notice, pageHeader } from '../components/bits.js';
import { dueCell, stageLabel } from '../components/contribution-parts.js';
import { api, describeError, query } from '../lib/api-client.js';
import type { Page as ApiPage, ReviewItem } from '@clearance/contract';
import { announce, h, replace } from '../lib/dom.js';
import { formatTime, plural, relativeTime } from '../lib/format.js';
import { live } from '../lib/live.js';
import type { Page } from '../lib/router.js';

const PAGE_SIZE = 100;

const signature = (items: ReviewItem[]): string => items.map((item) => `${item.id}:${item.stage.index}:${item.decisions.length}`).join('|');

/**
 * What waits for the roles I hold, longest waiting first (the server's
 * order). Live (the server's event stream), so an item another reviewer
 * decides leaves the list while I look at it.
 */
export const reviewQueuePage: Page = ({ main, signal }) => {
  const body = h('tbody', {});
  const status = h('div', {});
  const summary = h('p', { class: 'range', 'aria-live': 'polite' });
  main.append(
    pageHeader('Review queue'),
    status,
    card(
      'Waiting for you',
      summary,
      h(
        'div',
        { class: 'table-scroll' },
        h(
          'table',
          { class: 'data', 'data-testid': 'review-queue' },
          h('caption', { class: 'visually-hidden' }, 'Requests waiting for your roles, longest waiting first'),
          h('thead', {}, h('tr', {}, ...['Request', 'Requester', 'Tier', 'Stage', 'Waiting since', 'Due'].map((title) => h('th', { scope: 'col' }, title)))),
          body,
        ),
      ),
    ),
  );
  let shown: string | null = null;
  // How many pages the person has asked for; a change reads them again, following the cursors.
  let pages = 1;
  let more = false;
  const loadMore = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Load more');
  main.append(loadMore);
  const view = live(
    async () => {
      const items: ReviewItem[] = [];
      let cursor: string | number | null = null;
      for (let page = 0; page < pages; page += 1) {
        const answer: ApiPage<ReviewItem> = await api<ApiPage<ReviewItem>>('GET', `/reviews${query({ limit: PAGE_SIZE, cursor })}`, { signal });
        items.push(...answer.items);
        cursor = answer.nextCursor;
        if (cursor === null) break;
      }
      more = cursor !== null;
      loadMore.hidden = !more;
      replace(status);
      const now = `${signature(items)}|${more}`;
      if (now === shown) return;
      const changed = shown !== null;
      shown = now;
      const overdue = items.filter((item) => item.overdue).length;
      summary.textContent = `${plural(items.length, 'request')} ${more ? 'shown (more are waiting)' : 'waiting'}${overdue > 0 ? `, ${overdue} overdue` : ''}.`;
      if (changed) announce(`The queue changed: ${summary.textContent}`);
      if (items.length === 0) {
        replace(body, h('tr', {}, h('td', { colspan: '6', class: 'empty' }, 'Nothing is waiting for your roles.')));
        return;
      }
      replace(
        body,
        ...items.map((item) =>
          h(
            'tr',
            { class: item.overdue ? 'overdue' : '' },
            h(
              'td',
              {},
              h('a', { href: `#/reviews/${item.id}` }, item.title),
              item.revision > 1 ? h('span', { class: 'muted' }, ` (revision ${item.revision})`) : null,
              item.mayDecide ? null : h('div', { class: 'muted small' }, badge('Not yours to sign', 'muted'), ` ${item.blockedBecause ?? ''}`),
            ),
            h('td', {}, item.requester),
            h('td', {}, item.effectiveTier && item.effectiveTier !== item.tier ? `${item.tier} → ${item.effectiveTier}` : item.tier),
            h('td', {}, stageLabel(item.stage, item.stageCount)),
            h('td', { title: formatTime(item.stage.startedAt ?? item.submittedAt) }, relativeTime(item.stage.startedAt ?? item.submittedAt)),
            h('td', {}, dueCell(item.stage)),
          ),
        ),
      );
    },
    { subjectType: 'contribution' },
    signal,
    (error) => replace(status, notice('error', `Could not load the queue: ${describeError(error)}`)),
  );
  loadMore.addEventListener('click', () => {
    pages += 1;
    view.now();
  });
};
