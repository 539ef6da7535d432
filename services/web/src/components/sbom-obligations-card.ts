import type { SbomObligations } from '@clearance/contract';
import { api, describeError } from '../lib/api-client.js';
import { h, replace } from '../lib/dom.js';
import { navigate } from '../lib/router.js';
import { may } from '../lib/session.js';
import { card, notice } from './bits.js';
import { field } from './field.js';
import { componentList } from './obligation-components.js';

/** The obligations of an evaluated SBOM, grouped, each license cited; and, for compliance, a release made from it. */
export function sbomObligationsCard(sbomId: string, signal: AbortSignal): { element: HTMLElement; load(verdict: string | null): void } {
  const body = h('div', { 'data-testid': 'sbom-obligations' }, h('p', {}, 'Loading…'));
  const element = card('Obligations', body);
  return {
    element,
    load(verdict) {
      api<SbomObligations>('GET', `/sboms/${sbomId}/obligations`, { signal })
        .then((answer) => replace(body, ...groupsOf(answer), verdict !== 'fail' && may('POST /releases') ? releaseForm(sbomId, signal) : null))
        .catch((error: unknown) => replace(body, notice('error', `Could not read the obligations: ${describeError(error)}`)));
    },
  };
}

const groupsOf = (answer: SbomObligations): HTMLElement[] =>
  answer.groups.length === 0
    ? [h('p', {}, 'No license of this SBOM brings an obligation under the obligations policy.')]
    : answer.groups.map((group) =>
        h(
          'section',
          { class: 'obligation-group', 'aria-label': group.title },
          h('h3', {}, group.title),
          h('p', { class: 'field-hint' }, group.description),
          h(
            'div',
            { class: 'table-scroll' },
            h(
              'table',
              { class: 'data compact' },
              h('thead', {}, h('tr', {}, h('th', {}, 'License'), h('th', {}, 'Source'), h('th', {}, 'What it asks'), h('th', {}, 'Components'))),
              h(
                'tbody',
                {},
                ...group.items.map((item) =>
                  h(
                    'tr',
                    { 'data-key': item.key },
                    h('td', {}, h('code', {}, item.license)),
                    h('td', {}, item.source),
                    h('td', {}, item.description),
                    h('td', {}, componentList(item.components)),
                  ),
                ),
              ),
            ),
          ),
        ),
      );

function releaseForm(sbomId: string, signal: AbortSignal): HTMLElement {
  const name = field('Product name', h('input', { name: 'name', required: true, maxlength: 200 }));
  const version = field('Version', h('input', { name: 'version', required: true, maxlength: 100 }));
  const message = h('div', {});
  const form = h(
    'form',
    { class: 'narrow', 'aria-label': 'Create a release' },
    h('h3', {}, 'Create a release'),
    h('p', { class: 'field-hint' }, "These obligations become the release's checklist; its NOTICE's SHA-256 is recorded."),
    name.element,
    version.element,
    message,
    h('button', { type: 'submit' }, 'Create release'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    api<{ id: string }>('POST', '/releases', { signal, body: { name: name.control.value, version: version.control.value, sbomId } })
      .then((release) => navigate(`/releases/${release.id}`))
      .catch((error: unknown) => replace(message, notice('error', `Could not create the release: ${describeError(error)}`)));
  });
  return form;
}
