import { card, notice, pageHeader, statusBadge, verdictBadge } from '../components/bits.js';
import { field } from '../components/field.js';
import { api, describeError } from '../lib/api-client.js';
import type { Sbom } from '@clearance/contract';
import { announce, h, replace } from '../lib/dom.js';
import { formatTime } from '../lib/format.js';
import { navigate, type Page } from '../lib/router.js';
import { may } from '../lib/session.js';
import { uploadWithProgress } from '../lib/upload.js';


function uploadCard(signal: AbortSignal): HTMLElement {
  const file = field('SBOM file', h('input', { type: 'file', name: 'sbom', accept: '.json,.xml,.cdx,.spdx,application/json,application/xml' }), {
    hint: 'CycloneDX 1.2–1.7 (JSON or XML) or SPDX 2.2/2.3 JSON. The format is detected from the content.',
  });
  const progress = h('progress', { max: '100', value: '0', id: 'upload-progress', 'aria-label': 'Upload progress' });
  const progressText = h('span', { class: 'progress-text', 'aria-live': 'polite' });
  const progressRow = h('div', { class: 'progress-row', hidden: true }, progress, progressText);
  const status = h('div', {});
  const submit = h('button', { type: 'submit' }, 'Upload and evaluate');
  const form = h('form', { novalidate: true }, file.element, submit, progressRow, status);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    file.setError(null);
    replace(status);
    const chosen = file.control.files?.[0];
    if (!chosen) {
      file.setError('Choose the SBOM file to upload.');
      file.control.focus();
      return;
    }
    submit.disabled = true;
    progressRow.hidden = false;
    progress.value = 0;
    uploadWithProgress<Sbom>(
      '/sboms',
      chosen,
      (sent, total) => {
        const percent = total > 0 ? Math.round((sent / total) * 100) : 0;
        progress.value = percent;
        progressText.textContent = `${percent}% of ${(total / 1024).toFixed(0)} KB sent`;
      },
      signal,
    )
      .then((sbom) => {
        announce(`Uploaded ${sbom.filename ?? 'the SBOM'}; evaluation started.`);
        navigate(`/sboms/${sbom.id}`);
      })
      .catch((error: unknown) => {
        file.setError(describeError(error));
        status.append(notice('error', `The upload failed: ${describeError(error)}`));
        file.control.focus();
      })
      .finally(() => {
        submit.disabled = false;
      });
  });
  return card('Upload an SBOM', form);
}

function sbomTable(items: Sbom[]): HTMLElement {
  if (items.length === 0) return h('p', { class: 'empty' }, 'No SBOMs yet.');
  return h(
    'table',
    { class: 'data' },
    h('caption', { class: 'visually-hidden' }, 'Recent SBOMs, newest first'),
    h('thead', {}, h('tr', {}, ...['File', 'Uploaded', 'By', 'Status', 'Verdict', 'Components', 'Deny / review / allow'].map((title) => h('th', { scope: 'col' }, title)))),
    h(
      'tbody',
      {},
      ...items.map((sbom) =>
        h(
          'tr',
          {},
          h('td', {}, h('a', { href: `#/sboms/${sbom.id}` }, sbom.filename ?? sbom.id)),
          h('td', {}, formatTime(sbom.uploadedAt)),
          h('td', {}, sbom.uploadedBy),
          h('td', {}, statusBadge(sbom.status)),
          h('td', {}, sbom.status === 'evaluated' ? verdictBadge(sbom.verdict) : '—'),
          h('td', { class: 'num' }, sbom.counts?.total.toLocaleString() ?? '—'),
          h('td', { class: 'num' }, sbom.counts ? `${sbom.counts.deny} / ${sbom.counts.review} / ${sbom.counts.allow}` : '—'),
        ),
      ),
    ),
  );
}

export const sbomsPage: Page = async ({ main, signal }) => {
  main.append(pageHeader('SBOMs'));
  if (may('POST /sboms')) main.append(uploadCard(signal));
  const list = card('Recent SBOMs', h('p', {}, 'Loading…'));
  main.append(list);
  const { items } = await api<{ items: Sbom[] }>('GET', '/sboms?limit=50', { signal });
  replace(list, h('h2', {}, 'Recent SBOMs'), sbomTable(items));
};
