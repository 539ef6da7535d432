import type { FieldIssue } from '../lib/api-client.js';
import { h, replace } from '../lib/dom.js';
import type { Field } from './field.js';

/**
 * Puts each message the API returned next to the field it names. A path
 * names a field exactly (`project.name`) or below it (`links.2` belongs to
 * `links`); anything no field claims is listed at the top of the form, so no
 * message is lost.
 */
export function matchIssues(fieldPaths: readonly string[], issues: readonly FieldIssue[]): { byField: Map<string, string[]>; unmatched: FieldIssue[] } {
  const byField = new Map<string, string[]>();
  const unmatched: FieldIssue[] = [];
  const longestFirst = [...fieldPaths].sort((a, b) => b.length - a.length);
  for (const issue of issues) {
    const path = longestFirst.find((candidate) => issue.path === candidate || issue.path.startsWith(`${candidate}.`));
    if (path === undefined) unmatched.push(issue);
    else byField.set(path, [...(byField.get(path) ?? []), issue.message]);
  }
  return { byField, unmatched };
}

export class FormErrors {
  readonly summary = h('div', { class: 'notice error', role: 'alert', hidden: true, tabindex: '-1' });

  constructor(private readonly fields: Map<string, Field>) {}

  clear(): void {
    for (const entry of this.fields.values()) entry.setError(null);
    this.summary.hidden = true;
    replace(this.summary);
  }

  /** Shows the problems; focus goes to the first field in error (or the summary). */
  show(message: string, issues: readonly FieldIssue[], extra: readonly string[] = []): void {
    this.clear();
    const { byField, unmatched } = matchIssues([...this.fields.keys()], issues);
    let first: HTMLElement | null = null;
    for (const [path, messages] of byField) {
      const entry = this.fields.get(path);
      if (!entry) continue;
      entry.setError(messages.join(' '));
      first ??= entry.control;
    }
    const lines = [...unmatched.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)), ...extra];
    const count = byField.size;
    replace(
      this.summary,
      h('p', {}, count > 0 ? `${message} — ${count === 1 ? '1 field needs' : `${count} fields need`} attention.` : message),
      lines.length > 0 ? h('ul', {}, ...lines.map((line) => h('li', {}, line))) : null,
    );
    this.summary.hidden = false;
    (first ?? this.summary).focus();
  }
}
