import { card, facts, notice, pageHeader, statusBadge } from '../components/bits.js';
import { decisionLine, enrichmentFacts, explanationTable, requestFacts, stageLabel, stagesList } from '../components/contribution-parts.js';
import { field } from '../components/field.js';
import { api, ApiError, describeError } from '../lib/api-client.js';
import type { ContributionDetail, Decision, OutcomeCounts, ReviewItem } from '@clearance/contract';
import { announce, append, h, replace, uniqueId } from '../lib/dom.js';
import { live } from '../lib/live.js';
import { focusHeading, type Page } from '../lib/router.js';
import { currentUser } from '../lib/session.js';

const choices: Array<{ value: Decision['decision']; label: string }> = [
  { value: 'approve', label: 'Approve' },
  { value: 'reject', label: 'Reject' },
  { value: 'request-changes', label: 'Request changes' },
];

const outcomes = (counts: OutcomeCounts | null): string =>
  counts === null
    ? '—'
    : Object.entries(counts)
        // Keys come as camelCase (changesRequested): shown as words.
        .map(([outcome, count]) => `${count} ${outcome.replace(/[A-Z]/g, (letter) => ` ${letter.toLowerCase()}`)}`)
        .join(', ') || 'none yet';

/**
 * The decision form for the stage the reviewer is looking at. It sends that
 * stage's index, so a decision never lands on a stage someone else moved on
 * from meanwhile (the API answers 409 and the page reloads).
 */
function decisionForm(detail: ContributionDetail, onDecided: (message: string) => void): HTMLElement {
  const stage = detail.currentStage === null ? undefined : detail.stages[detail.currentStage];
  const name = uniqueId('decision');
  const radios = choices.map((choice) => {
    // Nothing is chosen in advance: a decision is the reviewer's act, never a default they forgot to change.
    const input = h('input', { type: 'radio', name, value: choice.value, id: uniqueId('decision') });
    return { choice, input, element: h('div', { class: 'radio-inline' }, input, h('label', { for: input.id }, choice.label)) };
  });
  const reason = field('Reason', h('textarea', { name: 'reason', rows: '3' }), { hint: 'Required to reject or to ask for changes: the requester reads it.' });
  const errors = h('div', {});
  const submit = h('button', { type: 'submit' }, 'Record decision');
  const form = h(
    'form',
    { class: 'decision-form', novalidate: true, 'aria-label': 'Your decision' },
    h('fieldset', {}, h('legend', {}, `Your decision on ${stage ? stageLabel(stage, detail.stages.length) : 'this request'}`), ...radios.map((radio) => radio.element)),
    reason.element,
    errors,
    h('div', { class: 'actions' }, submit),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    reason.setError(null);
    replace(errors);
    const decision = radios.find((radio) => radio.input.checked)?.choice.value;
    if (decision === undefined) {
      replace(errors, notice('error', 'Choose a decision: approve, reject or request changes.'));
      radios[0]?.input.focus();
      return;
    }
    const text = reason.control.value.trim();
    if (decision !== 'approve' && text === '') {
      reason.setError(decision === 'reject' ? 'A rejection needs a reason: the requester reads it.' : 'A change request needs a reason: the requester reads it.');
      reason.control.focus();
      return;
    }
    submit.disabled = true;
    api('POST', `/contributions/${detail.id}/decisions`, { body: { decision, reason: text || null, stageIndex: stage?.index } })
      .then(() => onDecided(`Your decision (${decision}) is recorded.`))
      .catch((error: unknown) => {
        const issue = error instanceof ApiError ? error.fieldIssues.find((entry) => entry.path === 'reason') : undefined;
        if (issue) reason.setError(issue.message);
        replace(errors, notice('error', describeError(error)));
        submit.disabled = false;
      });
  });
  return form;
}

/** One request as a reviewer decides it, kept live: another reviewer's decision shows up without a reload. */
export const reviewDetailPage: Page = ({ main, params, signal }) => {
  const id = params.id ?? '';
  const view = h('div', {}, h('p', {}, 'Loading…'));
  const messages = h('div', { 'aria-live': 'polite' });
  main.append(view);
  let shownVersion = -1;
  let lastDecisionCount = 0;

  const render = (detail: ContributionDetail, item: ReviewItem | undefined): void => {
    const waitingForMe = item !== undefined && detail.status === 'in-review';
    const decide = waitingForMe
      ? item.mayDecide
        ? card('Decide', decisionForm(detail, (message) => {
            replace(messages, notice('success', message));
            announce(message);
            refresh.now();
          }))
        : card('Decide', notice('info', `You cannot sign this stage: ${item.blockedBecause ?? 'a review rule prevents it'}.`))
      : card('Decide', notice('info', detail.status === 'in-review' ? 'This stage is for other roles.' : `Nothing to decide: the request is ${detail.status}.`));
    const pastDecisions = [
      ...detail.revisions.filter((revision) => revision.id !== detail.id).flatMap((revision) => revision.decisions.map((decision) => ({ decision, revision: revision.revision }))),
    ];
    replace(
      view,
      pageHeader(detail.title, h('span', {}, statusBadge(detail.status), ` revision ${detail.revision} by ${detail.requester}`)),
      h('p', {}, h('a', { href: '#/reviews' }, '← Review queue')),
    );
    append(
      view,
      messages,
      h(
        'div',
        { class: 'grid-2' },
        h('div', {}, decide, card('Review stages', stagesList(detail))),
        h(
          'div',
          {},
          card(
            'Decisions',
            detail.decisions.length === 0 ? h('p', { class: 'muted' }, 'None yet on this revision.') : h('ul', { class: 'decisions', 'data-testid': 'decisions' }, ...detail.decisions.map((decision) => decisionLine(decision, detail.stages))),
            pastDecisions.length > 0
              ? h('div', {}, h('h3', {}, 'Earlier revisions'), h('ul', { class: 'decisions' }, ...pastDecisions.map(({ decision, revision }) => decisionLine(decision, [], `Revision ${revision}: `))))
              : null,
          ),
          item ? card('History', facts([['Requester', outcomes(item.history.requester)], ['This upstream', outcomes(item.history.upstream)]])) : null,
        ),
      ),
      card('Routing explanation', explanationTable(detail.plan?.explanation ?? [])),
      h('div', { class: 'grid-2' }, card('The request', requestFacts(detail.request, detail.effectiveTier)), card('Enrichment (GitHub)', enrichmentFacts(detail.enrichment, item?.upstream?.licenseCategory))),
    );
  };

  const refresh = live(
    async () => {
      const [detail, queue] = await Promise.all([
        api<ContributionDetail>('GET', `/contributions/${id}`, { signal }),
        api<{ items: ReviewItem[] }>('GET', '/reviews?limit=200', { signal }),
      ]);
      if (detail.version === shownVersion) return;
      const first = shownVersion === -1 && lastDecisionCount === 0;
      // Only other reviewers' decisions are news; one's own was confirmed when it was made.
      const fresh = detail.decisions.slice(lastDecisionCount).filter((decision) => decision.by !== currentUser()?.user);
      shownVersion = detail.version;
      lastDecisionCount = detail.decisions.length;
      render(detail, queue.items.find((item) => item.id === id));
      if (first) focusHeading(main);
      if (!first && fresh.length > 0) {
        const words = fresh.map((decision) => `${decision.by} decided ${decision.decision} on stage ${decision.stageIndex + 1}`).join('; ');
        replace(messages, notice('info', `Updated: ${words}.`));
        announce(`Updated: ${words}.`);
      }
    },
    { subjectType: 'contribution', subjectId: id },
    signal,
    (error) => replace(messages, notice('error', `Could not load the request: ${describeError(error)}`)),
  );
};
