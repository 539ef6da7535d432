import { decidedByText } from '../components/license-cells.js';
import { badge, card, facts, notice, pageHeader, statusBadge, verdictBadge } from '../components/bits.js';
import { FindingsTable } from '../components/findings-table.js';
import { sbomObligationsCard } from '../components/sbom-obligations-card.js';
import { openWaiverDialog } from '../components/waiver-dialog.js';
import { api, describeError } from '../lib/api-client.js';
import type { Sbom, SbomDetail } from '@clearance/contract';
import { announce, h, replace } from '../lib/dom.js';
import { formatTime, plural, shortHash } from '../lib/format.js';
import { live } from '../lib/live.js';
import type { Page } from '../lib/router.js';
import { may } from '../lib/session.js';

const encodingLabels: Record<string, string> = { json: 'JSON', xml: 'XML', 'tag-value': 'tag-value', 'json-ld': 'JSON-LD' };

/** The same words as core's formatLabel (this bundle does not import core). */
const formatLabel = (format: NonNullable<Sbom['format']>): string =>
  `${format.kind === 'cyclonedx' ? 'CycloneDX' : 'SPDX'} ${format.specVersion} (${encodingLabels[format.encoding] ?? format.encoding}${format.compression ? `, ${format.compression}` : ''})`;

function summary(sbom: Sbom): HTMLElement {
  const evaluating = sbom.status === 'queued';
  return h(
    'div',
    { class: 'sbom-summary' },
    h(
      'div',
      { class: 'verdict-line', 'data-testid': 'sbom-status' },
      statusBadge(sbom.status),
      sbom.status === 'evaluated' ? h('span', {}, ' Verdict: ', verdictBadge(sbom.verdict)) : null,
      evaluating ? h('span', { class: 'evaluating' }, h('progress', { 'aria-label': 'Evaluating' }), ' Evaluating the licenses…') : null,
    ),
    sbom.counts
      ? h(
          'ul',
          { class: 'counts', 'aria-label': 'Verdict counts' },
          h('li', {}, badge('deny', 'bad'), ` ${sbom.counts.deny.toLocaleString()}`),
          h('li', {}, badge('review', 'warn'), ` ${sbom.counts.review.toLocaleString()}`),
          h('li', {}, badge('allow', 'ok'), ` ${sbom.counts.allow.toLocaleString()}`),
          h('li', {}, `${plural(sbom.counts.total, 'component')} in all`),
        )
      : null,
    sbom.status === 'failed' && sbom.error ? notice('error', `The SBOM could not be evaluated: ${sbom.error.message}`) : null,
    ...(sbom.documentFindings ?? []).map((finding) =>
      h('div', { class: 'notice info', role: 'status', 'data-testid': 'document-finding' }, verdictBadge(finding.verdict), ` ${finding.message} (${decidedByText(finding.decidedBy)})`),
    ),
    facts([
      ['File', sbom.filename ?? '—'],
      ['Format', sbom.format ? formatLabel(sbom.format) : '—'],
      ['Uploaded', `${formatTime(sbom.uploadedAt)} by ${sbom.uploadedBy}`],
      ['Evaluated', sbom.evaluatedAt ? `${formatTime(sbom.evaluatedAt)} (evaluation ${sbom.evaluation})` : null],
      ['Policy version', sbom.policyVersion ? h('code', { title: sbom.policyVersion }, shortHash(sbom.policyVersion)) : null],
      ['SHA-256', h('code', { title: sbom.sha256 }, shortHash(sbom.sha256))],
    ]),
  );
}

export const sbomDetailPage: Page = ({ main, params, signal }) => {
  const id = params.id ?? '';
  const summaryBox = h('div', {}, h('p', {}, 'Loading…'));
  const messages = h('div', {});
  const reEvaluate = may('POST /sboms/:id/evaluations') ? h('button', { type: 'button', class: 'secondary' }, 'Evaluate again') : null;
  const table = new FindingsTable({
    sbomId: id,
    signal,
    onWaive: may('POST /waivers')
      ? (finding) =>
          openWaiverDialog(finding, (waiver) => {
            replace(messages, notice('success', `Waiver ${waiver.id} granted for ${waiver.scope.purl} (${waiver.verdict}) until ${formatTime(waiver.expiresAt)}.`));
            announce(`Waiver ${waiver.id} granted.`);
            // The verdicts change only when the SBOM is evaluated again under the new waiver.
            if (may('POST /sboms/:id/evaluations')) evaluateAgain();
          })
      : undefined,
  });
  const obligations = sbomObligationsCard(id, signal);
  main.append(pageHeader('SBOM', h('a', { href: '#/sboms' }, '← All SBOMs'), reEvaluate), messages, card('Status', summaryBox), obligations.element, table.element);
  table.element.hidden = true;
  obligations.element.hidden = true;

  let shownEvaluation = -1;
  // Follows the SBOM's changes: the worker's verdict, an evaluation started elsewhere.
  const watcher = live(
    async () => {
      const sbom = await api<SbomDetail>('GET', `/sboms/${id}?limit=1`, { signal });
      replace(summaryBox, summary(sbom));
      if (reEvaluate) reEvaluate.disabled = sbom.status === 'queued';
      if (sbom.status === 'queued') return;
      if (sbom.evaluation !== shownEvaluation) {
        shownEvaluation = sbom.evaluation;
        table.setCounts(sbom.counts);
        table.element.hidden = sbom.status !== 'evaluated';
        obligations.element.hidden = sbom.status !== 'evaluated';
        if (sbom.status === 'evaluated') {
          table.restart();
          obligations.load(sbom.verdict);
        }
        announce(sbom.status === 'evaluated' ? `Evaluation finished: verdict ${sbom.verdict ?? ''}.` : 'The evaluation failed.');
      }
    },
    { subjectType: 'sbom', subjectId: id },
    signal,
    (error) => replace(messages, notice('error', `Could not read the SBOM: ${describeError(error)}`)),
  );

  function evaluateAgain(): void {
    api<Sbom>('POST', `/sboms/${id}/evaluations`, { signal })
      .then(() => {
        announce('Evaluating again.');
        watcher.now();
      })
      .catch((error: unknown) => replace(messages, notice('error', `Could not start the evaluation: ${describeError(error)}`)));
  }
  reEvaluate?.addEventListener('click', evaluateAgain);
};
