import { button, card, notice, pageHeader } from '../components/bits.js';
import { eventRows, eventTableHead } from '../components/audit-event-list.js';
import { field, select, type Field } from '../components/field.js';
import { FormErrors } from '../components/form-errors.js';
import { live } from '../lib/live.js';
import { api, ApiError, describeError, query } from '../lib/api-client.js';
import type { AuditEvent, AuditVerification, Page as ApiPage, TierDescription } from '@clearance/contract';
import { downloadFile, openHtml } from '../lib/download.js';
import { announce, h, replace } from '../lib/dom.js';
import { plural, shortHash } from '../lib/format.js';
import type { Page } from '../lib/router.js';
import { may } from '../lib/session.js';

/** A date input's day as the API's ISO instant: the start of the day, or its end for an upper bound (UTC). */
const dayBound = (value: string, end: boolean): string | undefined => (value ? `${value}T${end ? '23:59:59.999' : '00:00:00.000'}Z` : undefined);

function verifyCard(signal: AbortSignal): HTMLElement {
  const result = h('div', { 'data-testid': 'verify-result' });
  const run = button('Verify the audit chain', () => {
    run.disabled = true;
    replace(result, h('p', {}, 'Recomputing every hash and checking the signed checkpoints…'));
    api<AuditVerification>('GET', '/audit/verify', { signal })
      .then((report) => {
        const details = h(
          'ul',
          {},
          h('li', {}, `${plural(report.eventCount, 'event')} checked, up to sequence number ${report.headSeq}.`),
          h('li', {}, 'Head hash ', h('code', { title: report.headHash }, shortHash(report.headHash)), '.'),
          h('li', {}, `${plural(report.checkpointsVerified, 'signed checkpoint')} verified with key ${report.keyId}${report.lastCheckpointSeq === null ? '' : `, the last at sequence number ${report.lastCheckpointSeq}`}.`),
          // Hashes alone cannot show that events were cut from the end; a signed checkpoint can.
          report.lastCheckpointSeq === null || report.lastCheckpointSeq < report.headSeq
            ? h('li', {}, `Events after ${report.lastCheckpointSeq === null ? 'the start' : `sequence number ${report.lastCheckpointSeq}`} are not yet covered by a signed checkpoint.`)
            : null,
        );
        replace(
          result,
          report.ok
            ? notice('success', h('strong', {}, 'Intact: the audit log verifies.'), ' No event was changed, removed or reordered since it was written.', details)
            : notice(
                'error',
                h('strong', {}, `Tampering found: the chain breaks at sequence number ${report.problems[0]?.seq ?? '?'}.`),
                h('ul', {}, ...report.problems.map((problem) => h('li', {}, `seq ${problem.seq} (${problem.kind}): ${problem.detail}`))),
                report.unreadableCheckpointFiles.length > 0 ? h('p', {}, `Unreadable checkpoint files: ${report.unreadableCheckpointFiles.join(', ')}`) : null,
                details,
              ),
        );
        announce(report.ok ? 'The audit log verifies.' : 'The audit log verification found problems.');
      })
      .catch((error: unknown) => replace(result, notice('error', `Verification could not run: ${describeError(error)}`)))
      .finally(() => {
        run.disabled = false;
      });
  });
  return card('Verify', h('p', {}, 'Recomputes the hash chain from the first event and checks it against the signed checkpoints.'), run, result);
}

function searchCard(signal: AbortSignal, initial: URLSearchParams, tiers: readonly TierDescription[]): HTMLElement {
  const text = (name: string, placeholder = ''): HTMLInputElement => h('input', { name, placeholder, value: initial.get(name) ?? '', spellcheck: 'false' });
  const fields = new Map<string, Field>([
    ['from', field('From (day)', h('input', { type: 'date', name: 'from' }))],
    ['to', field('To (day)', h('input', { type: 'date', name: 'to' }))],
    ['actor', field('Actor', text('actor', 'user name'))],
    ['action', field('Action', text('action', 'e.g. contribution.decided'))],
    ['subjectType', field('Subject type', select('subjectType', [['', 'any'], ['contribution', 'contribution'], ['sbom', 'sbom'], ['waiver', 'waiver'], ['token', 'token'], ['policy', 'policy'], ['route', 'route'], ['audit', 'audit']], initial.get('subjectType') ?? ''))],
    ['subjectId', field('Subject id', text('subjectId'))],
    ['tier', field('Tier', select('tier', [['', 'any'], ...tiers.map((tier): [string, string] => [tier.tier, tier.label])]))],
    ['outcome', field('Outcome', text('outcome', 'approve, rejected, fail…'))],
    ['upstream', field('Upstream', text('upstream', 'owner/repo'))],
    ['license', field('License', text('license', 'SPDX id'))],
  ]);
  const errors = new FormErrors(fields);
  const body = h('tbody', {});
  const count = h('p', { class: 'range', 'aria-live': 'polite' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Load more');
  const table = h('div', { class: 'table-scroll' }, h('table', { class: 'data', 'data-testid': 'audit-results' }, h('caption', { class: 'visually-hidden' }, 'Audit events, oldest first'), eventTableHead(), body));
  let cursor: string | number | null = null;
  let lastSeq: number | null = null;
  let shown = 0;
  const params = (): Record<string, string | number | undefined> => {
    const value = (name: string): string => fields.get(name)?.control.value.trim() ?? '';
    return {
      from: dayBound(value('from'), false),
      to: dayBound(value('to'), true),
      actor: value('actor'),
      action: value('action'),
      subjectType: value('subjectType'),
      subjectId: value('subjectId'),
      tier: value('tier'),
      outcome: value('outcome'),
      upstream: value('upstream'),
      license: value('license'),
      limit: 100,
    };
  };
  const load = async (append: boolean): Promise<void> => {
    errors.clear();
    try {
      const page = await api<ApiPage<AuditEvent>>('GET', `/audit/events${query({ ...params(), cursor: append ? cursor : null })}`, { signal });
      if (!append) {
        replace(body);
        shown = 0;
      }
      body.append(...eventRows(page.items));
      shown += page.items.length;
      lastSeq = page.items.at(-1)?.seq ?? lastSeq;
      cursor = page.nextCursor;
      more.hidden = cursor === null;
      count.textContent = shown === 0 ? 'No events match.' : `${plural(shown, 'event')} shown${cursor === null ? '' : ' (more available)'}`;
    } catch (error) {
      if (error instanceof ApiError) errors.show(error.message, error.fieldIssues);
      else errors.show(describeError(error), []);
    }
  };
  const form = h(
    'form',
    { class: 'filters wide', role: 'search', 'aria-label': 'Search the audit log', novalidate: true },
    ...[...fields.values()].map((entry) => entry.element),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Search')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void load(false);
  });
  more.addEventListener('click', () => void load(true));
  // The first read, then: once everything matching is shown, new events that match are appended as the audit log grows.
  let loaded = false;
  live(
    async () => {
      if (!loaded) {
        loaded = true;
        return load(false);
      }
      if (cursor !== null) return;
      if (lastSeq === null) return load(false);
      cursor = lastSeq;
      return load(true);
    },
    {},
    signal,
  );
  return card('Search events', errors.summary, form, count, table, more);
}

function exportCard(signal: AbortSignal): HTMLElement {
  const from = field('From (day)', h('input', { type: 'date', name: 'from' }));
  const to = field('To (day)', h('input', { type: 'date', name: 'to' }));
  // Type and id, e.g. sbom:sbom_0123…; empty exports every event of the period.
  const subject = field('Subject (optional, type:id)', h('input', { name: 'subject', placeholder: 'contribution:ctr_…', spellcheck: 'false' }));
  const fields = new Map<string, Field>([
    ['from', from],
    ['to', to],
    ['subject', subject],
  ]);
  const errors = new FormErrors(fields);
  const status = h('div', { 'aria-live': 'polite' });
  const period = (): Record<string, string | undefined> => ({ from: dayBound(from.control.value, false), to: dayBound(to.control.value, true) });
  const canExport = may('GET /audit/export');
  const exportButton = button('Download dossier (.tar.gz)', () => {
    errors.clear();
    exportButton.disabled = true;
    replace(status, h('p', {}, 'Preparing the dossier…'));
    const path = `/audit/export${query({ ...period(), subject: subject.control.value.trim() })}`;
    downloadFile(path, 'clearance-dossier.tar.gz', signal)
      .then((size) => replace(status, notice('success', `Dossier downloaded (${(size / 1024).toFixed(1)} KB). Verify it offline with: clearance audit verify-bundle <file>`)))
      .catch((error: unknown) => {
        replace(status);
        if (error instanceof ApiError) errors.show(error.message, error.fieldIssues);
        else errors.show(describeError(error), []);
      })
      .finally(() => {
        exportButton.disabled = false;
      });
  });
  exportButton.hidden = !canExport;
  const report = button('Open the due-diligence report', () => {
    errors.clear();
    openHtml(`/audit/report${query({ ...period(), format: 'html' })}`, signal).catch((error: unknown) =>
      error instanceof ApiError ? errors.show(error.message, error.fieldIssues) : errors.show(describeError(error), []),
    );
  }, { class: 'secondary' });
  const markdown = button('Download the report as Markdown', () => {
    errors.clear();
    downloadFile(`/audit/report${query({ ...period(), format: 'md' })}`, 'clearance-report.md', signal).catch((error: unknown) => errors.show(describeError(error), []));
  }, { class: 'secondary' });
  return card(
    'Dossier and report',
    h('p', {}, canExport ? 'A dossier holds the events, their hashes and the signed checkpoints of a period, verifiable without this server.' : 'Exporting a dossier needs the auditor role.'),
    errors.summary,
    h('div', { class: 'filters' }, from.element, to.element, subject.element),
    h('div', { class: 'actions' }, exportButton, report, markdown),
    status,
  );
}

export const auditPage: Page = async ({ main, signal, query: initial }) => {
  const { items: tiers } = await api<{ items: TierDescription[] }>('GET', '/policy/tiers', { signal });
  main.append(pageHeader('Audit'), h('div', { class: 'grid-2' }, verifyCard(signal), exportCard(signal)), searchCard(signal, initial, tiers));
};
