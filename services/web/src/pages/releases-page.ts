import type { ReleaseSummary } from '@clearance/contract';
import { badge, card, notice, pageHeader } from '../components/bits.js';
import { api, describeError } from '../lib/api-client.js';
import { h, replace } from '../lib/dom.js';
import { formatTime } from '../lib/format.js';
import type { Page } from '../lib/router.js';

export const releaseStatusBadge = (status: string): HTMLElement => badge(status, status === 'cleared' ? 'ok' : 'warn');

/** Releases newest first, with what is left open on each checklist; releases are created from an SBOM's page. */
export const releasesPage: Page = async ({ main, signal }) => {
  const body = h('div', {}, h('p', {}, 'Loading…'));
  main.append(pageHeader('Releases'), card('Releases', h('p', { class: 'field-hint' }, "Create a release from an evaluated SBOM's page."), body));
  try {
    const { items } = await api<{ items: ReleaseSummary[] }>('GET', '/releases?limit=200', { signal });
    replace(
      body,
      items.length === 0
        ? h('p', {}, 'No releases yet.')
        : h(
            'table',
            { class: 'data', 'data-testid': 'releases' },
            h('thead', {}, h('tr', {}, h('th', {}, 'Release'), h('th', {}, 'Status'), h('th', {}, 'Obligations open'), h('th', {}, 'Created'))),
            h(
              'tbody',
              {},
              ...items.map((release) =>
                h(
                  'tr',
                  {},
                  h('td', {}, h('a', { href: `#/releases/${release.id}` }, `${release.name} ${release.version}`)),
                  h('td', {}, releaseStatusBadge(release.status)),
                  h('td', { class: 'num' }, `${release.open} of ${release.total}`),
                  h('td', {}, `${formatTime(release.createdAt)} by ${release.createdBy}`),
                ),
              ),
            ),
          ),
    );
  } catch (error) {
    replace(body, notice('error', `Could not read the releases: ${describeError(error)}`));
  }
};
