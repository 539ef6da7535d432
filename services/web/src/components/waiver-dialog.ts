import { api, ApiError, describeError } from '../lib/api-client.js';
import type { Finding, Waiver } from '@clearance/contract';
import { h } from '../lib/dom.js';
import { field, select, type Field } from './field.js';
import { FormErrors } from './form-errors.js';

const isoDay = (date: Date): string => date.toISOString().slice(0, 10);

/**
 * Grants a waiver for one finding's component: the scope starts as that
 * exact purl and its evaluated expression, which the person may widen. A
 * native <dialog> keeps focus inside and closes on Escape.
 */
export function openWaiverDialog(finding: Finding, onGranted: (waiver: Waiver) => void): void {
  const purl = field('Package URL (purl)', h('input', { name: 'purl', value: finding.purl ?? '', spellcheck: 'false' }));
  const match = field(
    'Scope',
    select('match', [
      ['exact', 'This exact version'],
      ['any-version', 'Any version of this package'],
      ['prefix', 'Every package starting with this purl'],
    ]),
  );
  const expression = field('License expression', h('input', { name: 'licenseExpression', value: finding.expression ?? '', spellcheck: 'false' }), {
    hint: 'The waiver applies only while the component carries this expression. Leave empty for any license.',
  });
  const verdict = field('Verdict to apply', select('verdict', [['allow', 'allow'], ['review', 'review']]));
  const justification = field('Justification', h('textarea', { name: 'justification', rows: '3' }), {
    hint: 'Why this is acceptable. Auditors read it; it is kept in the audit log.',
  });
  const expires = field('Expires on', h('input', { type: 'date', name: 'expiresAt', value: isoDay(new Date(Date.now() + 90 * 86_400_000)) }), {
    hint: 'The waiver stops applying at the end of this day (UTC).',
  });
  const fields = new Map<string, Field>([
    ['scope.purl', purl],
    ['scope.match', match],
    ['scope.licenseExpression', expression],
    ['verdict', verdict],
    ['justification', justification],
    ['expiresAt', expires],
  ]);
  const errors = new FormErrors(fields);
  const submit = h('button', { type: 'submit' }, 'Grant waiver');
  const cancel = h('button', { type: 'button', class: 'secondary' }, 'Cancel');
  const form = h(
    'form',
    { novalidate: true },
    h('h2', { id: 'waiver-title' }, `Grant a waiver for ${finding.name}${finding.version ? ` ${finding.version}` : ''}`),
    errors.summary,
    ...[purl, match, expression, verdict, justification, expires].map((entry) => entry.element),
    h('div', { class: 'actions' }, submit, cancel),
  );
  const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': 'waiver-title' }, form);
  cancel.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => dialog.remove());
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    errors.clear();
    const day = expires.control.value;
    const body = {
      scope: {
        purl: purl.control.value.trim(),
        match: match.control.value,
        ...(expression.control.value.trim() ? { licenseExpression: expression.control.value.trim() } : {}),
      },
      verdict: verdict.control.value,
      justification: justification.control.value,
      expiresAt: day ? `${day}T23:59:59Z` : '',
    };
    submit.disabled = true;
    api<Waiver>('POST', '/waivers', { body })
      .then((waiver) => {
        dialog.close();
        onGranted(waiver);
      })
      .catch((error: unknown) => {
        if (error instanceof ApiError) errors.show(error.message, error.fieldIssues, error.textIssues);
        else errors.show(describeError(error), []);
      })
      .finally(() => {
        submit.disabled = false;
      });
  });
  document.body.append(dialog);
  dialog.showModal();
  justification.control.focus();
}
