import type { DecidedBy, DecidingRule, Finding, LicenseChoice } from '../lib/api-types.js';
import { h } from '../lib/dom.js';

/** How each mapping method reads to a reviewer. */
const methodText: Record<string, string> = {
  exact: 'exact SPDX id',
  case: 'SPDX id, case corrected',
  deprecated: 'deprecated SPDX id, replaced',
  name: 'SPDX license name',
  alias: 'alias from the license policy',
  'known-name': 'name from the license name table',
  url: 'license URL',
  ambiguous: 'family name without a version: not mapped',
  'extracted-name': "the document's own name for this LicenseRef",
};

const outcomeText: Record<string, string> = {
  missing: 'No license stated',
  noassertion: 'NOASSERTION: the SBOM author did not say',
  none: 'NONE: the SBOM author says there is no license',
  unparsable: 'The expression cannot be read',
  'too-large': 'The expression is over the size limit',
};

const choiceText = (choice: LicenseChoice): string => {
  const value = choice.kind === 'id' ? choice.id : choice.kind === 'name' ? choice.name : choice.expression;
  return `${choice.kind}: ${value}${choice.acknowledgement ? ` (${choice.acknowledgement})` : ''}`;
};

/** The license data exactly as the SBOM wrote it. */
export const rawLicenseCell = (finding: Finding): HTMLElement =>
  finding.raw.choices.length === 0
    ? h('td', { class: 'muted' }, outcomeText[finding.outcome] ?? 'No license stated')
    : h('td', {}, h('ul', { class: 'plain' }, ...finding.raw.choices.map((choice) => h('li', {}, h('code', {}, choiceText(choice))))));

/** What Clearance made of it: each written token's SPDX id and how it was found, then the evaluated expression. */
export function mappingCell(finding: Finding): HTMLElement {
  const cell = h('td', {});
  if (finding.mappings.length > 0) {
    cell.append(
      h(
        'ul',
        { class: 'plain mappings' },
        ...finding.mappings.map((mapping) =>
          h('li', {}, h('code', {}, mapping.from), ' → ', h('code', {}, mapping.to), h('span', { class: 'method' }, ` ${methodText[mapping.method] ?? mapping.method}`)),
        ),
      ),
    );
  }
  if (finding.expression) cell.append(h('div', {}, 'Evaluated: ', h('code', {}, finding.expression)));
  if (finding.chosenBranch) cell.append(h('div', {}, 'Chosen branch: ', h('code', {}, finding.chosenBranch)));
  if (finding.outcome !== 'evaluated') cell.append(h('div', { class: 'muted' }, outcomeText[finding.outcome] ?? finding.outcome));
  return cell;
}

/** `categories.strong-copyleft: GPL-3.0-only`: where in licenses.yaml the rule is, and on which license it spoke. */
const ruleText = (rule: DecidingRule): string => {
  switch (rule.kind) {
    case 'category':
      return `categories.${rule.category}: ${rule.license}`;
    case 'license':
      return `licenses.${rule.id}: ${rule.license}`;
    case 'exception':
      return `exceptions[${rule.index}]: ${rule.license}`;
    case 'unknown-license':
      return `categories.unknown: ${rule.license} (not in the policy)`;
    case 'outcome':
      return `outcomes.${rule.outcome}`;
  }
};

export const decidedByText = (decidedBy: DecidedBy): string => {
  switch (decidedBy.kind) {
    case 'rule':
      return `Rule ${ruleText(decidedBy.rule)}`;
    case 'waiver':
      return `Waiver ${decidedBy.waiverId}`;
    case 'expired-waiver-ignored':
      return `Rule ${ruleText(decidedBy.rule)} (waiver ${decidedBy.waiverId} has expired)`;
  }
};
