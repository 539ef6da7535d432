import type { Release, ReleaseObligation } from '@clearance/contract';
import { badge, card, facts, notice, pageHeader } from '../components/bits.js';
import { field, select } from '../components/field.js';
import { componentList } from '../components/obligation-components.js';
import { api, ApiError, describeError } from '../lib/api-client.js';
import { announce, h, replace } from '../lib/dom.js';
import { formatTime, shortHash } from '../lib/format.js';
import type { Page } from '../lib/router.js';
import { may } from '../lib/session.js';
import { releaseStatusBadge } from './releases-page.js';

/** The API's message, and the fields it names (a 422 says which part of the evidence is wrong). */
const problemText = (error: unknown): string => {
  const fields = error instanceof ApiError ? error.fieldIssues.map((issue) => `${issue.path}: ${issue.message}`) : [];
  return fields.length === 0 ? describeError(error) : `${describeError(error)} (${fields.join('; ')})`;
};

const stateTones = { open: 'warn', fulfilled: 'ok', waived: 'info' } as const;

const evidenceText = (item: ReleaseObligation): string | null => {
  const evidence = item.evidence;
  if (evidence === null) return item.reason === null ? null : `Waived: ${item.reason}`;
  switch (evidence.kind) {
    case 'notice':
      return `The release NOTICE (SHA-256 ${evidence.sha256})`;
    case 'url':
      return evidence.url;
    case 'file':
      return `${evidence.name ?? 'File'} (SHA-256 ${evidence.sha256})`;
  }
};

/** The release's checklist: each obligation, its cited source, its components, and (for compliance) fulfil or waive. */
export const releaseDetailPage: Page = ({ main, params, signal }) => {
  const id = params.id ?? '';
  const summary = h('div', {}, h('p', {}, 'Loading…'));
  const checklist = h('div', { 'data-testid': 'checklist' });
  const messages = h('div', {});
  main.append(pageHeader('Release', h('a', { href: '#/releases' }, '← All releases')), messages, card('Status', summary), card('Obligations checklist', checklist));

  const show = (release: Release): void => {
    replace(
      summary,
      h('div', { class: 'verdict-line', 'data-testid': 'release-status' }, releaseStatusBadge(release.status), ` ${release.name} ${release.version}`),
      facts([
        ['SBOM', h('a', { href: `#/sboms/${release.sbomId}` }, `${release.sbomId} (evaluation ${release.sbomEvaluation})`)],
        ['NOTICE SHA-256', h('code', { title: release.noticeSha256 }, shortHash(release.noticeSha256))],
        ['Created', `${formatTime(release.createdAt)} by ${release.createdBy}`],
        ['Cleared', release.clearedAt ? formatTime(release.clearedAt) : null],
      ]),
    );
    const editable = release.status === 'open' && may('POST /releases/:id/obligations/:key/fulfil');
    replace(
      checklist,
      release.obligations.length === 0
        ? h('p', {}, 'No obligations: the release was cleared when it was created.')
        : h(
            'ul',
            { class: 'checklist' },
            ...release.obligations.map((item) =>
              h(
                'li',
                { class: 'card', 'data-key': item.key, 'aria-label': `${item.title}: ${item.license}` },
                h('h3', {}, badge(item.state, stateTones[item.state]), ` ${item.title}: `, h('code', {}, item.license)),
                h('p', {}, h('strong', {}, item.source), ` — ${item.description}`),
                h('p', {}, 'Components: ', componentList(item.components)),
                item.state === 'open' ? null : h('p', { class: 'field-hint' }, `${evidenceText(item) ?? ''} (${item.updatedBy ?? ''}, ${formatTime(item.updatedAt)})`),
                editable ? markForm(release, item) : null,
              ),
            ),
          ),
    );
  };

  function markForm(release: Release, item: ReleaseObligation): HTMLElement {
    const kind = field('Evidence', select('kind', [['notice', 'The release NOTICE'], ['url', 'A URL'], ['file', 'A file SHA-256']]));
    const value = field('URL or SHA-256', h('input', { name: 'value', maxlength: 2_000 }), { hint: 'Not needed for the NOTICE.' });
    const reason = field('Reason to waive', h('input', { name: 'reason', maxlength: 4_000 }));
    const path = `/releases/${release.id}/obligations/${encodeURIComponent(item.key)}`;
    const send = (action: 'fulfil' | 'waive', body: unknown): void => {
      api<Release>('POST', `${path}/${action}`, { signal, body })
        .then((updated) => {
          show(updated);
          replace(messages, updated.status === 'cleared' ? notice('success', `Release ${updated.name} ${updated.version} is cleared.`) : null);
          announce(updated.status === 'cleared' ? 'The release is cleared.' : `${item.title} (${item.license}) ${action === 'fulfil' ? 'fulfilled' : 'waived'}.`);
        })
        .catch((error: unknown) => replace(messages, notice('error', `Could not update ${item.key}: ${problemText(error)}`)));
    };
    const evidence = (): unknown => {
      const text = value.control.value.trim();
      if (kind.control.value === 'url') return { kind: 'url', url: text };
      if (kind.control.value === 'file') return { kind: 'file', sha256: text };
      return { kind: 'notice' };
    };
    return h(
      'div',
      { class: 'mark-obligation' },
      kind.element,
      value.element,
      h('button', { type: 'button', onclick: () => send('fulfil', { evidence: evidence() }) }, 'Mark fulfilled'),
      reason.element,
      h('button', { type: 'button', class: 'secondary', onclick: () => send('waive', { reason: reason.control.value }) }, 'Waive'),
    );
  }

  api<Release>('GET', `/releases/${id}`, { signal })
    .then(show)
    .catch((error: unknown) => replace(messages, notice('error', `Could not read the release: ${describeError(error)}`)));
};
