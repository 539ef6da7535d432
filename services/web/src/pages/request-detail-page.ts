import { button, card, notice, pageHeader, statusBadge } from '../components/bits.js';
import { enrichmentFacts, explanationTable, outcomeNotice, requestFacts, stagesList, timeline } from '../components/contribution-parts.js';
import { api, describeError } from '../lib/api-client.js';
import type { ContributionDetail } from '@clearance/contract';
import { announce, append, h, replace } from '../lib/dom.js';
import { live } from '../lib/live.js';
import { focusHeading, type Page } from '../lib/router.js';
import { currentUser } from '../lib/session.js';

const openStatuses = ['submitted', 'enriching', 'in-review'];
const resubmittable = ['rejected', 'changes-requested', 'withdrawn', 'auto-rejected'];

/** One request as its requester follows it: outcome first, then the timeline, the stages and why they are there. */
export const requestDetailPage: Page = ({ main, params, signal }) => {
  const id = params.id ?? '';
  const view = h('div', {}, h('p', {}, 'Loading…'));
  const messages = h('div', {});
  main.append(view);
  let shownVersion = -1;

  const render = (detail: ContributionDetail): void => {
    const mine = detail.requester === currentUser()?.user;
    const actions = h('div', { class: 'actions' });
    if (mine && resubmittable.includes(detail.status) && detail.nextRevisionId === null) {
      actions.append(h('a', { href: `#/requests/${detail.id}/resubmit`, class: 'button' }, 'Resubmit'));
    }
    if (detail.nextRevisionId) actions.append(h('a', { href: `#/requests/${detail.nextRevisionId}`, class: 'button secondary' }, 'Go to the next revision'));
    if (mine && openStatuses.includes(detail.status)) {
      actions.append(
        button(
          'Withdraw',
          () => {
            if (!window.confirm('Withdraw this request? Decisions already made stay on record.')) return;
            api('POST', `/contributions/${detail.id}/withdraw`, { signal })
              .then(() => announce('Request withdrawn.'))
              .catch((error: unknown) => replace(messages, notice('error', `Could not withdraw: ${describeError(error)}`)));
          },
          { class: 'secondary' },
        ),
      );
    }
    replace(
      view,
      pageHeader(detail.title, h('span', {}, statusBadge(detail.status), ` revision ${detail.revision}`)),
      h('p', {}, h('a', { href: '#/requests' }, '← My requests')),
      messages,
    );
    append(
      view,
      outcomeNotice(detail),
      actions,
      h(
        'div',
        { class: 'grid-2' },
        card('Timeline', timeline(detail)),
        card('Review stages', stagesList(detail)),
      ),
      card('Why it was routed this way', explanationTable(detail.plan?.explanation ?? [])),
      h('div', { class: 'grid-2' }, card('What you asked', requestFacts(detail.request, detail.effectiveTier)), card('What GitHub says', enrichmentFacts(detail.enrichment))),
    );
  };

  live(
    async () => {
      const detail = await api<ContributionDetail>('GET', `/contributions/${id}`, { signal });
      if (detail.version !== shownVersion) {
        const first = shownVersion === -1;
        shownVersion = detail.version;
        render(detail);
        if (first) focusHeading(main);
        else announce(`The request is now ${detail.status}.`);
      }
    },
    { subjectType: 'contribution', subjectId: id },
    signal,
    (error) => replace(messages, notice('error', `Could not load the request: ${describeError(error)}`)),
  );
};
